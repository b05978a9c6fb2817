"""Searching for people and reading a person's record. Names never go into URLs: search is a POST."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from openiom.accounts.constants import Capability
from openiom.accounts.permissions import capability_required
from openiom.audit.constants import Purpose
from openiom.audit.services import client_address, record_access
from openiom.jobs.services import start_job

from .forms import MatchDecisionForm, PersonSearchForm
from .linking import decide_candidate, undo_merge
from .models import MatchCandidate, Person, PersonMerge
from .selectors import MAX_RESULTS, search_people, shown_history

can_view_people = capability_required(Capability.PEOPLE_VIEW)


@can_view_people
def search(request: HttpRequest) -> HttpResponse:
    form = PersonSearchForm(request.POST if request.method == "POST" else None)
    results = None
    total = 0
    if request.method == "POST" and form.is_valid():
        found = search_people(form.to_search())
        total = found.count()
        results = list(found[:MAX_RESULTS])
    return render(
        request,
        "people/search.html",
        {"page_title": "Find a person", "form": form, "results": results, "total": total, "limit": MAX_RESULTS},
    )


@can_view_people
def detail(request: HttpRequest, person_id: int) -> HttpResponse:
    person = get_object_or_404(Person, pk=person_id)
    record_access(user=request.user, obj=person, purpose=Purpose.CASE_MANAGEMENT, remote_addr=client_address(request))
    history = shown_history(request.user, person)
    context = {
        "page_title": str(person),
        "history": history,
        "person": person,
        "timeline": history.timeline(),
        "age": person.age_on(timezone.localdate()),
        "iom_case": _open_case(request.user, person),
    }
    return render(request, "people/detail.html", context)


def _open_case(user: Any, person: Person) -> Any:
    """The person's open IOM case, when the user may see cases (the case page decides how much)."""
    from openiom.cases.access import visible_cases

    return visible_cases(user).open().filter(person=person).select_related("tier", "lead_professional").first()


can_link = capability_required(Capability.DATA_IMPORT)


@can_link
def matches(request: HttpRequest) -> HttpResponse:
    candidates = MatchCandidate.objects.open().select_related("record_a__source", "record_b__source")
    page = Paginator(candidates, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "people/matches.html",
        {"page_title": "Possible matches", "page_obj": page, "query_without_page": ""},
    )


@can_link
@require_POST
def run_linkage_view(request: HttpRequest) -> HttpResponse:
    job = start_job(owner=request.user, kind="record_linkage", title="Record linkage")
    return redirect("jobs:detail", job_id=job.pk)


@can_link
def match_decide(request: HttpRequest, candidate_id: int) -> HttpResponse:
    candidate = get_object_or_404(
        MatchCandidate.objects.select_related("record_a__source", "record_b__source"), pk=candidate_id
    )
    form = MatchDecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            decide_candidate(
                candidate, decision=form.cleaned_data["decision"], by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages[0])
        else:
            messages.success(request, "Your decision has been recorded.")
            return redirect("people:matches")
    for record in (candidate.record_a, candidate.record_b):
        record_access(
            user=request.user, obj=record, purpose=Purpose.ADMINISTRATION, remote_addr=client_address(request)
        )
    rows = [
        (label, _shown(getattr(candidate.record_a, field)), _shown(getattr(candidate.record_b, field)))
        for label, field in (
            ("Agency", "source"),
            ("Their id", "source_person_id"),
            ("Given name", "given_name"),
            ("Family name", "family_name"),
            ("Date of birth", "date_of_birth"),
            ("Gender", "gender"),
            ("PNC id", "pnc_id"),
            ("Postcode", "postcode"),
            ("Ward", "ward"),
        )
    ]
    return render(
        request,
        "people/match_decide.html",
        {"page_title": "Decide a possible match", "candidate": candidate, "form": form, "rows": rows},
    )


def _shown(value: object) -> str:
    if isinstance(value, date):
        return value.strftime("%-d %B %Y")
    return str(value or "")


@can_link
def merges(request: HttpRequest) -> HttpResponse:
    merge_list = PersonMerge.objects.select_related("kept", "decided_by", "undone_by").prefetch_related(
        "moved_records__source"
    )
    page = Paginator(merge_list, 25).get_page(request.GET.get("page"))
    return render(request, "people/merges.html", {"page_title": "Merges", "page_obj": page, "query_without_page": ""})


@can_link
@require_POST
def merge_undo(request: HttpRequest, merge_id: int) -> HttpResponse:
    merge = get_object_or_404(PersonMerge, pk=merge_id)
    try:
        undo_merge(merge, by=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, "The merge has been undone: the records are a separate person again.")
    return redirect("people:merges")
