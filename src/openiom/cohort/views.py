"""Cohort selection pages: runs, a new run, results, exclusions, explanations, fairness, comparison, export.

URLs carry ids only. Every person shown on a page is an audited read (purpose: cohort selection).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from openiom.accounts.constants import Capability
from openiom.accounts.permissions import capability_required
from openiom.analytics import ConfigError, SelectionConfig
from openiom.audit.constants import Purpose
from openiom.audit.services import client_address, record_accesses

from .describe import describe_config, setting_label, setting_value
from .forms import CompareForm, NewRunForm, ResultsFilterForm
from .models import ScoredPerson, SelectionRun
from .redaction import readable_for_agency, shown_explanation, with_shown_exclusions
from .selectors import (
    ResultFilters,
    compare_runs,
    fairness_for,
    latest_config,
    route_summary,
    run_list,
    scored_people,
    scored_person,
)
from .services import export_nominations, start_selection_run

can_view = capability_required(Capability.COHORT_VIEW)
can_run = capability_required(Capability.COHORT_RUN)
PAGE_SIZE = 25  # as the case list: what a person reads at once, and what each request audits

# The results table: (sort key, heading, numeric). The sort keys are the selector's whitelist.
RESULT_COLUMNS = (
    ("rank", "Rank", True),
    ("person", "Person", False),
    ("route", "Route", False),
    ("cohort", "Cohort", False),
    ("framework", "Framework", False),
    ("rfg_score", "RFG score", True),
    ("harm_days", "Harm (days)", True),
    ("cost_gbp", "Cost of crime", True),
    ("ogrs3_2yr", "OGRS3 (2 years)", True),
    ("outcome", "Outcome", False),
)


def _run(run_id: int) -> SelectionRun:
    return get_object_or_404(SelectionRun.objects.select_related("created_by", "job"), pk=run_id)


def _audit_reads(request: HttpRequest, scored: Iterable[ScoredPerson]) -> None:
    """Each person shown is a read of personal data; one whose Person has since been merged away is
    logged against the stored score instead."""
    record_accesses(
        user=request.user,
        objects=[s.person or s for s in scored],
        purpose=Purpose.SELECTION,
        remote_addr=client_address(request),
    )


def _query(params: QueryDict, **changes: str | None) -> str:
    query = params.copy()
    for key, value in changes.items():
        query.pop(key, None)
        if value:
            query[key] = value
    query.pop("page", None)
    return query.urlencode()


@can_view
def runs(request: HttpRequest) -> HttpResponse:
    page = Paginator(run_list(), 25).get_page(request.GET.get("page"))
    return render(request, "cohort/run_list.html", {"page_title": "Cohort selection", "page_obj": page})


@can_run
def new_run(request: HttpRequest) -> HttpResponse:
    base = latest_config()
    source = request.GET.get("from", "")
    if source.isdigit():
        found = SelectionRun.objects.filter(pk=int(source)).first()
        if found is not None:
            # A configuration saved under an older version: start from the latest instead.
            with contextlib.suppress(ConfigError):
                base = SelectionConfig.from_dict(found.config)
    form = NewRunForm(request.POST if request.method == "POST" else None, base=base)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            run = start_selection_run(
                user=request.user, as_of=data["as_of"], config=data["config"], label=data["label"]
            )
        except ValidationError as exc:
            form.add_error("as_of", exc.messages[0])
        except ConfigError as exc:
            form.add_error("config_json", f"The configuration cannot be used: {exc}")
        else:
            return redirect("cohort:run", run_id=run.pk)
    return render(request, "cohort/new_run.html", {"page_title": "New selection run", "form": form})


def _columns(params: QueryDict, sort: str, descending: bool) -> list[dict[str, Any]]:
    columns = []
    for key, label, numeric in RESULT_COLUMNS:
        current = key == sort
        # Numbers start with the highest; words from A. A second click reverses.
        first_desc = numeric and key != "rank"
        wants_desc = (not descending) if current else first_desc
        columns.append(
            {
                "key": key,
                "label": label,
                "numeric": numeric,
                "url": "?" + _query(params, sort=key, dir="desc" if wants_desc else "asc"),
                "aria_sort": ("descending" if descending else "ascending") if current else "none",
            }
        )
    return columns


@can_view
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    run = _run(run_id)
    if getattr(request, "htmx", False):
        if run.is_finished:
            return HttpResponseClientRefresh()
        return render(request, "cohort/_run_progress.html", {"run": run})
    context: dict[str, Any] = {"page_title": run.name, "run": run, "tab": "results"}
    if run.succeeded:
        filter_form = ResultsFilterForm(request.GET or None)
        chosen = filter_form.values()
        sort = request.GET.get("sort", "")
        descending = request.GET.get("dir") == "desc"
        found = scored_people(run, ResultFilters(**chosen, sort=sort, descending=descending))
        page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
        _audit_reads(request, page.object_list)
        context.update(
            filter_form=filter_form,
            filters=chosen,
            filtered=any(v for k, v in chosen.items() if k != "outcome") or chosen["outcome"] != "nominated",
            page_obj=page,
            columns=_columns(request.GET, sort, descending),
            query_without_page=_query(request.GET) + ("&" if _query(request.GET) else ""),
            routes=route_summary(run),
            panels=_panels(),
        )
    return render(request, "cohort/run_detail.html", context)


def _panels() -> list[Any]:
    from openiom.panels.models import Panel

    return list(Panel.objects.filter(is_active=True).order_by("name"))


@can_view
def exclusions(request: HttpRequest, run_id: int) -> HttpResponse:
    run = _run(run_id)
    page = Paginator(run.scores.exclusions().select_related("person"), PAGE_SIZE).get_page(request.GET.get("page"))
    _audit_reads(request, page.object_list)
    page.object_list = with_shown_exclusions(page.object_list, readable_for_agency(request.user))
    return render(
        request,
        "cohort/exclusions.html",
        {"page_title": f"Exclusions – {run.name}", "run": run, "tab": "exclusions", "page_obj": page},
    )


@can_view
def explanation(request: HttpRequest, run_id: int, person_key: int) -> HttpResponse:
    run = _run(run_id)
    scored = scored_person(run, person_key)
    if scored is None:
        raise Http404("This person was not scored in this run")
    _audit_reads(request, [scored])
    readable = readable_for_agency(request.user)
    row, explained = shown_explanation(scored, readable)
    with_shown_exclusions([scored], readable)
    figures = [(key, row[key]) for key in sorted(row)]
    return render(
        request,
        "cohort/explanation.html",
        {
            "page_title": f"Explanation – {run.name}",
            "run": run,
            "scored": scored,
            "person": scored.person,
            "explanation": explained,
            "row": row,
            "figures": figures,
        },
    )


@can_view
def fairness(request: HttpRequest, run_id: int) -> HttpResponse:
    run = _run(run_id)
    tables = fairness_for(run) if run.succeeded else {}
    overall = run.nominated / run.population if run.population else None
    return render(
        request,
        "cohort/fairness.html",
        {
            "page_title": f"Fairness – {run.name}",
            "run": run,
            "tab": "fairness",
            "tables": tables,
            "overall": overall,
            "small_number": run.small_number,
        },
    )


@can_view
def run_settings(request: HttpRequest, run_id: int) -> HttpResponse:
    run = _run(run_id)
    try:
        config: SelectionConfig | None = SelectionConfig.from_dict(run.config)
    except ConfigError:
        config = None
    return render(
        request,
        "cohort/run_settings.html",
        {
            "page_title": f"Settings and data – {run.name}",
            "run": run,
            "tab": "settings",
            "settings": describe_config(config) if config else [],
            "config_json": config.to_json() if config else "",
        },
    )


@can_view
def compare(request: HttpRequest) -> HttpResponse:
    form = CompareForm(request.GET if {"a", "b"} & set(request.GET) else None)
    comparison = None
    if form.is_bound and form.is_valid():
        comparison = compare_runs(form.cleaned_data["a"], form.cleaned_data["b"])
        # everyone who entered, left or moved: one log write for the page, however many they are
        record_accesses(
            user=request.user,
            objects=[
                *(s.person or s for s in [*comparison.entered, *(a for a, _b in comparison.left)]),
                *(change.person for change in comparison.rank_changes if change.person is not None),
            ],
            purpose=Purpose.SELECTION,
            remote_addr=client_address(request),
        )
        with_shown_exclusions([b for _a, b in comparison.left if b is not None], readable_for_agency(request.user))
    changes = [
        (setting_label(path), path, setting_value(a), setting_value(b))
        for path, a, b in (comparison.config_changes if comparison else [])
    ]
    return render(
        request,
        "cohort/compare.html",
        {"page_title": "Compare two runs", "form": form, "comparison": comparison, "changes": changes},
    )


def _chosen_keys(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit()]


@can_run
@require_POST
def export(request: HttpRequest, run_id: int) -> HttpResponse:
    run = _run(run_id)
    every = request.POST.get("export") == "all"
    try:
        content = export_nominations(
            run,
            user=request.user,
            person_keys=None if every else _chosen_keys(request.POST.getlist("person")),
            remote_addr=client_address(request),
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("cohort:run", run_id=run.pk)
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="selection-run-{run.pk}-nominations.csv"'
    return response


can_refer = capability_required(Capability.REFER)


@can_run
@can_refer
@require_POST
def refer(request: HttpRequest, run_id: int) -> HttpResponse:
    """Refer the ticked nominations to the chosen panel, each with the run's scores as the reason.

    Only for whoever the run page offers it to (may run selections and refer): a referral shows
    the person and the run's scores to the referrer, so the role to refer alone is not enough.
    """
    from openiom.panels.models import Panel
    from openiom.panels.services import refer_from_selection

    run = _run(run_id)
    keys = _chosen_keys(request.POST.getlist("person"))
    panel = Panel.objects.filter(pk=request.POST.get("panel") or 0, is_active=True).first()
    if panel is None or not keys:
        messages.error(request, "Choose a panel and tick at least one nomination to refer.")
        return redirect("cohort:run", run_id=run.pk)
    result = refer_from_selection(
        run=run, person_keys=keys, panel=panel, nominating_officer=request.user, by=request.user
    )
    if result.referred:
        messages.success(
            request,
            f"Referred {len(result.referred)} {'person' if len(result.referred) == 1 else 'people'} to the "
            f"{panel.name}. Each referral goes to the next meeting whose referral cut-off it meets.",
        )
    for key, why in result.skipped:
        messages.error(request, f"Person {key} was not referred: {why}.")
    return redirect("cohort:run", run_id=run.pk)
