from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from .models import Job
from .services import output_dir


def _own_job(request: HttpRequest, job_id: str) -> Job:
    # Jobs are private to the person who started them.
    return get_object_or_404(Job, pk=job_id, owner=request.user)


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    jobs = Job.objects.for_owner(request.user)[:50]
    return render(request, "jobs/job_list.html", {"page_title": "Your background jobs", "jobs": jobs})


@login_required
def job_detail(request: HttpRequest, job_id: str) -> HttpResponse:
    job = _own_job(request, job_id)
    template = "jobs/_progress.html" if getattr(request, "htmx", False) else "jobs/job_detail.html"
    return render(request, template, {"page_title": job.title, "job": job})


@login_required
def job_download(request: HttpRequest, job_id: str) -> FileResponse:
    job = _own_job(request, job_id)
    if not job.output_file:
        raise Http404("This job has no file")
    path = output_dir() / job.output_file
    if not path.is_file():
        raise Http404("The file is no longer available")
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=job.output_name, content_type=job.output_content_type
    )
