from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from openiom.accounts.constants import Capability
from openiom.accounts.permissions import capability_required
from openiom.jobs.services import start_job
from openiom.people.models import Person

from . import exports  # also registers the export job handler
from .forms import AuditSearchForm, SubjectAccessForm
from .selectors import AuditFilter, audit_entries, with_changes_shown
from .services import client_address
from .subject_access import subject_access_export

audit_view = capability_required(Capability.AUDIT_VIEW)


@audit_view
def search(request: HttpRequest) -> HttpResponse:
    form = AuditSearchForm(request.GET or None)
    page = None
    if not form.is_bound or form.is_valid():
        f = form.to_filter() if form.is_bound else AuditFilter()
        page = Paginator(audit_entries(f), 25).get_page(request.GET.get("page"))
        page.object_list = with_changes_shown(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/search.html",
        {
            "page_title": "Audit trail",
            "form": form,
            "page_obj": page,
            "query_without_page": (query.urlencode() + "&") if query else "",
        },
    )


@audit_view
@require_POST
def export(request: HttpRequest) -> HttpResponse:
    form = AuditSearchForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The export could not start: correct the search first.")
        return redirect("audit:search")
    fmt = request.POST.get("format", "csv")
    if fmt not in exports.FORMATS:
        fmt = "csv"
    params = {**form.to_filter().as_params(), "format": fmt}
    job = start_job(
        owner=request.user, kind="audit_export", title=f"Audit trail export ({exports.FORMATS[fmt]})", params=params
    )
    return redirect("jobs:detail", job_id=job.pk)


@capability_required(Capability.ADMINISTER)
def subject_access(request: HttpRequest) -> HttpResponse:
    """Export everything held on one person (PDF or JSON). GET shows the form; POST returns the file."""
    if request.method == "POST":
        form = SubjectAccessForm(request.POST)
        if form.is_valid():
            person = get_object_or_404(Person, pk=form.cleaned_data["person"])
            content, name, content_type = subject_access_export(
                person=person,
                by=request.user,
                fmt=form.cleaned_data["format"],
                reference=form.cleaned_data["reference"],
                remote_addr=client_address(request),
            )
            response = HttpResponse(content, content_type=content_type)
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
    else:
        form = SubjectAccessForm(initial={"person": request.GET.get("person", ""), "format": "pdf"})
    return render(request, "audit/subject_access.html", {"page_title": "Subject access request", "form": form})
