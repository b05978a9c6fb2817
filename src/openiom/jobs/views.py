from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .constants import JobStatus
from .models import Job
from .registry import can_rerun
from .services import CannotRunAgain, output_dir, recover_interrupted_jobs, rerun_job


def _own_job(request: HttpRequest, job_id: str) -> Job:
    # Jobs are private to the person who started them.
    return get_object_or_404(Job, pk=job_id, owner=request.user)


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    recover_interrupted_jobs()
    jobs = Job.objects.for_owner(request.user)[:50]
    return render(request, "jobs/job_list.html", {"page_title": "Your background jobs", "jobs": jobs})


@login_required
def job_detail(request: HttpRequest, job_id: str) -> HttpResponse:
    recover_interrupted_jobs()
    job = _own_job(request, job_id)
    template = "jobs/_progress.html" if getattr(request, "htmx", False) else "jobs/job_detail.html"
    rerun = job.status == JobStatus.INTERRUPTED and can_rerun(job)
    return render(request, template, {"page_title": job.title, "job": job, "can_rerun": rerun})


@login_required
@require_POST
def job_rerun(request: HttpRequest, job_id: str) -> HttpResponse:
    job = _own_job(request, job_id)
    try:
        rerun_job(job)
    except CannotRunAgain:
        messages.error(request, "This job cannot be run again. Start it again from where you started it.")
    else:
        messages.success(request, "The job has been queued again.")
    return redirect("jobs:detail", job_id=job.pk)


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
