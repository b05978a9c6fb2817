from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from openiom.accounts.constants import Capability
from openiom.accounts.permissions import capability_required
from openiom.jobs.models import Job

from .forms import DeliveryUploadForm
from .jobs import upload_dir
from .models import Delivery

can_import = capability_required(Capability.DATA_IMPORT)


@can_import
def history(request: HttpRequest) -> HttpResponse:
    deliveries = Delivery.objects.select_related("imported_by__agency")
    page = Paginator(deliveries, 25).get_page(request.GET.get("page"))
    return render(request, "imports/history.html", {"page_title": "Data imports", "page_obj": page})


@can_import
def detail(request: HttpRequest, delivery_id: int) -> HttpResponse:
    delivery = get_object_or_404(Delivery.objects.select_related("imported_by"), pk=delivery_id)
    return render(request, "imports/detail.html", {"page_title": f"Delivery {delivery.pk}", "delivery": delivery})


@can_import
def upload(request: HttpRequest) -> HttpResponse:
    # Not `request.POST or None`: a POST with no fields must still be a bound form with errors.
    form = DeliveryUploadForm(request.POST, request.FILES) if request.method == "POST" else DeliveryUploadForm()
    if request.method == "POST" and form.is_valid():
        # The job is created first so its folder exists before the worker can start it.
        from openiom.jobs.tasks import run_job_task

        job = Job.objects.create(owner=request.user, kind="import_delivery", title="Data import")  # type: ignore[misc]
        folder = upload_dir(job.pk)
        folder.mkdir(parents=True, exist_ok=True)
        for name, upload_file in form.standard_files().items():
            with (folder / name).open("wb") as out:
                for chunk in upload_file.chunks():
                    out.write(chunk)
        run_job_task.enqueue(str(job.pk))
        return redirect("jobs:detail", job_id=job.pk)
    return render(request, "imports/upload.html", {"page_title": "Upload a delivery", "form": form})
