"""The performance and evaluation pages: figures only, never a person (see `reports`)."""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from openiom.accounts.constants import Capability
from openiom.accounts.permissions import capability_required

from .cache import cached, data_version
from .data import CohortFilter, data_cutoff
from .exports import report_pdf, report_xlsx
from .forms import CohortFilterForm
from .reports import Report, dyo_report, outcomes_report

logger = logging.getLogger(__name__)
can_view = capability_required(Capability.REPORTS_VIEW)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(
    request: HttpRequest, reports: list[Report], name: str, title: str, default: str | None = None
) -> HttpResponse | None:
    """The report as a spreadsheet or a PDF when `?format=` (or else `default`) asks for one."""
    wanted = request.GET.get("format", default)
    if wanted not in ("xlsx", "pdf"):
        wanted = default
    if wanted is None:
        return None
    stamp = timezone.localdate().isoformat()
    logger.info("report export: %s as %s by user %s", name, wanted, request.user.pk)
    if wanted == "xlsx":
        response = HttpResponse(report_xlsx(reports), content_type=XLSX)
    else:
        response = HttpResponse(report_pdf(reports, title), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="openiom-{name}-{stamp}.{wanted}"'
    return response


def _query_without_format(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("format", None)
    return params.urlencode()


def _report_page(
    request: HttpRequest, report: Report | None, name: str, template: str, current: str, **context: object
) -> HttpResponse:
    """A report page, or its spreadsheet or PDF when `?format=` asks for one."""
    title = str(context.pop("page_title"))
    if report is not None:
        download = _download(request, [report], name, title)
        if download is not None:
            return download
    context |= {"page_title": title, "report": report, "query": _query_without_format(request), "current": current}
    return render(request, template, context)


@can_view
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "evaluation/index.html", {"page_title": "Reports", "cutoff": data_cutoff()})


@can_view
def outcomes(request: HttpRequest) -> HttpResponse:
    form = CohortFilterForm(request.GET or None)
    f = form.cohort_filter() if form.is_bound else CohortFilter()
    report = cached("outcomes", lambda: outcomes_report(f), f)
    return _report_page(
        request, report, "cohort-outcomes", "evaluation/report.html", "outcomes",
        page_title="Cohort outcomes", form=form,
    )  # fmt: skip


@can_view
def dyo(request: HttpRequest) -> HttpResponse:
    return _report_page(
        request, cached("dyo", dyo_report), "dyo-snapshot", "evaluation/report.html", "dyo",
        page_title="Deter Young Offenders snapshot",
    )  # fmt: skip


def strategic_pack() -> list[Report]:
    """Everything the strategic group is shown, in the order of its agenda."""
    from .reports_more import profile_report, profile_years
    from .targets import targets_report

    everyone, ppo = CohortFilter(), CohortFilter(cohort="PPO")
    version = data_version()  # read once for the pack, not once a report
    reports = [
        cached("targets", targets_report, version=version),
        cached("outcomes", lambda: outcomes_report(everyone), everyone, version=version),
        cached("outcomes", lambda: outcomes_report(ppo), ppo, version=version),
        cached("dyo", dyo_report, version=version),
    ]
    years = profile_years()
    if years:
        reports.append(cached("profile", lambda: profile_report(years[-1]), years[-1], version=version))
    return reports


@can_view
def pack(request: HttpRequest) -> HttpResponse:
    response = _download(request, strategic_pack(), "strategic-pack", "IOM strategic group pack", default="pdf")
    assert response is not None  # noqa: S101 - a default format always gives a download
    return response


@can_view
def impact(request: HttpRequest) -> HttpResponse:
    from .reports_more import impact_report, impact_services

    services = impact_services()
    chosen = request.GET.get("service", "")
    service = int(chosen) if chosen.isdigit() and int(chosen) in {s.pk for s in services} else None
    report = None if service is None else cached("impact", lambda: impact_report(service), service)
    return _report_page(
        request, report, "intervention-impact", "evaluation/impact.html", "impact",
        page_title="Intervention impact", services=services, chosen=chosen,
    )  # fmt: skip


@can_view
def profile(request: HttpRequest) -> HttpResponse:
    from .reports_more import profile_report, profile_years

    years = profile_years()
    chosen = request.GET.get("year", "")
    year = int(chosen) if chosen.isdigit() and int(chosen) in years else (years[-1] if years else None)
    report = None if year is None else cached("profile", lambda: profile_report(year), year)
    return _report_page(
        request, report, "offender-profile", "evaluation/profile.html", "profile",
        page_title="Local offender profile", years=years, year=year,
    )  # fmt: skip


@login_required
def definitions(request: HttpRequest) -> HttpResponse:
    """Documentation with no personal data: open to every signed-in user (the gaps page links here too)."""
    from django.http import Http404

    from .definitions import metrics_html

    body = metrics_html()
    if body is None:
        raise Http404("The definitions are not installed with this copy of OpenIOM")
    return render(
        request, "evaluation/definitions.html", {"page_title": "How the figures are worked out", "body": body}
    )
