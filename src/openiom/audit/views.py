from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from openiom.accounts.constants import Capability
from openiom.accounts.permissions import capability_required
from openiom.jobs.services import start_job

from . import exports  # noqa: F401  (registers the export job handler)
from .forms import AuditSearchForm
from .selectors import AuditFilter, audit_entries

audit_view = capability_required(Capability.AUDIT_VIEW)


@audit_view
def search(request: HttpRequest) -> HttpResponse:
    form = AuditSearchForm(request.GET or None)
    page = None
    if not form.is_bound or form.is_valid():
        f = form.to_filter() if form.is_bound else AuditFilter()
        page = Paginator(audit_entries(f), 25).get_page(request.GET.get("page"))
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
    job = start_job(
        owner=request.user, kind="audit_export", title="Audit trail export", params=form.to_filter().as_params()
    )
    return redirect("jobs:detail", job_id=job.pk)
