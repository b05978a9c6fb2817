"""The case lists: all cases a user may find, "My cases", "My actions" and team caseloads.

Filters and sorting are GET parameters, so every list works without JavaScript and can be
bookmarked. A name is personal data and never goes into an address: a name search is a POST
that keeps the name in the session under a random token, and the address carries the token.
Every case, action and task listed is a read, audited for case management.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from openiom.accounts.constants import Capability
from openiom.accounts.models import Agency
from openiom.accounts.permissions import capability_required
from openiom.audit.constants import Purpose
from openiom.audit.services import client_address, record_accesses

from . import selectors
from .access import full_cases, sees_all_cases, visible_cases
from .constants import CaseStatus, Cohort
from .models import CohortMembership, Involvement, Tier

can_view_cases = capability_required(Capability.CASES_VIEW)
can_manage_cases = capability_required(Capability.CASES_MANAGE)

PAGE_SIZE = 25
SEARCHES_KEPT = 10  # name searches remembered in the session
SESSION_KEY = "case_searches"

# Sortable columns: (key of selectors.case_list, heading, the order it sorts in).
SORTS = (
    ("name", "Name", "ascending"),
    ("lead", "Lead professional", "ascending"),
    ("tier", "Tier", "ascending"),
    ("opened", "Opened", "descending"),
)
FILTER_KEYS = ("status", "tier", "cohort", "agency")


def audit_reads(request: HttpRequest, objects: Iterable[models.Model]) -> None:
    """Each personal record listed on a cases page is a read for case management."""
    record_accesses(
        user=request.user, objects=objects, purpose=Purpose.CASE_MANAGEMENT, remote_addr=client_address(request)
    )


class CaseFilterForm(forms.Form):
    """The filters of the case list (GET). The name is searched separately, by POST."""

    status = forms.ChoiceField(
        label="Status",
        choices=[("open", "Open"), ("closed", "Closed"), ("all", "Open and closed")],
        required=False,
        widget=forms.RadioSelect,
    )
    tier = forms.ChoiceField(label="Tier", required=False)
    cohort = forms.ChoiceField(label="Cohort", required=False, choices=[("", "Any cohort"), *Cohort.choices])
    agency = forms.ChoiceField(label="Agency involved", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tier_field: Any = self.fields["tier"]
        tier_field.choices = [("", "Any tier"), *((str(t.level), t.name) for t in Tier.objects.order_by("level"))]
        agency_field: Any = self.fields["agency"]
        agency_field.choices = [
            ("", "Any agency"),
            *Agency.objects.active().order_by("name").values_list("code", "name"),
        ]

    def values(self) -> dict[str, str]:
        data = self.cleaned_data
        return {"status": data.get("status") or "open", **{k: data.get(k) or "" for k in ("tier", "cohort", "agency")}}

    def label_of(self, name: str, value: str) -> str:
        field: Any = self.fields[name]
        return str(dict(field.choices).get(value, value))


class NameSearchForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=100,
        strip=True,
        help_text="Part of a given or family name. The name is not put in the page address.",
    )


def _query(params: dict[str, str], **changes: str) -> str:
    """The query string with some parameters changed ("" removes one); `page` is always dropped."""
    merged = {k: v for k, v in {**params, **changes}.items() if v and k != "page"}
    return urlencode(merged)


def _remembered_name(request: HttpRequest, token: str) -> str:
    return str(request.session.get(SESSION_KEY, {}).get(token, "")) if token else ""


def _sort_columns(params: dict[str, str], sort: str) -> list[dict[str, str]]:
    return [
        {
            "key": key,
            "label": label,
            "url": "?" + _query(params, sort=key),
            "aria_sort": order if key == sort else "none",
        }
        for key, label, order in SORTS
    ]


def _current_memberships() -> Prefetch:
    return Prefetch(
        "memberships", queryset=CohortMembership.objects.filter(ended_on__isnull=True), to_attr="current_memberships"
    )


def _current_involvements() -> Prefetch:
    return Prefetch(
        "involvements",
        queryset=Involvement.objects.filter(ended_on__isnull=True).select_related("agency", "key_worker"),
        to_attr="current_involvements",
    )


@can_view_cases
def case_list(request: HttpRequest) -> HttpResponse:
    """Every case the user may find; those they see in full link to the case page and show detail."""
    user = request.user
    data = request.GET.copy()
    data.setdefault("status", "open")
    form = CaseFilterForm(data)
    valid = form.is_valid()
    filters = form.values() if valid else {"status": "open", "tier": "", "cohort": "", "agency": ""}
    token = request.GET.get("search", "")
    name = _remembered_name(request, token)
    sort = request.GET.get("sort", "")
    sort = sort if sort in {s[0] for s in SORTS} else "tier"
    params = {**{k: v for k, v in filters.items() if v and not (k == "status" and v == "open")}, "sort": sort}
    if name:
        params["search"] = token
    if sort == "tier":
        params.pop("sort")
    cases = selectors.case_list(visible_cases(user), query=name, sort=sort, **filters)
    if not valid:
        cases = cases.none()
    page = Paginator(cases.prefetch_related(_current_memberships(), _current_involvements()), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = list(page.object_list)
    full_ids = set(full_cases(user).filter(pk__in=[c.pk for c in rows]).values_list("pk", flat=True))
    for case in rows:
        case.seen_in_full = case.pk in full_ids  # type: ignore[attr-defined]
    audit_reads(request, rows)
    selected = [
        {"heading": form.fields[k].label, "text": form.label_of(k, v), "url": "?" + _query(params, **{k: ""})}
        for k, v in filters.items()
        if v and k != "status"
    ]
    if filters["status"] != "open":
        selected.insert(
            0,
            {
                "heading": "Status",
                "text": form.label_of("status", filters["status"]),
                "url": "?" + _query(params, status=""),
            },
        )
    if name:
        selected.append({"heading": "Name", "text": name, "url": "?" + _query(params, search="")})
    query = _query(params)
    return render(
        request,
        "cases/lists/case_list.html",
        {
            "page_title": "Cases",
            "tab": "list",
            "form": form,
            "search_form": NameSearchForm(initial={"name": name}),
            "page_obj": page,
            "rows": rows,
            "some_minimal": any(not c.seen_in_full for c in rows),  # type: ignore[attr-defined]
            "columns": _sort_columns(params, sort),
            "selected": selected,
            "search_token": token if name else "",
            "expired_search": bool(token) and not name,
            "query_without_page": query + "&" if query else "",
            "sort": sort,
            "hidden": {k: v for k, v in params.items() if k in ("sort", "search")},
            "search_hidden": {k: v for k, v in params.items() if k != "search"},
        },
    )


@can_view_cases
@require_POST
def search(request: HttpRequest) -> HttpResponse:
    """Search the case list by name: the name stays in the session and the address gets a token."""
    form = NameSearchForm(request.POST)
    params = {k: request.POST.get(k, "") for k in (*FILTER_KEYS, "sort")}
    if not form.is_valid():
        return redirect(reverse("cases:list") + ("?" + _query(params) if _query(params) else ""))
    token = secrets.token_urlsafe(8)
    searches = dict(request.session.get(SESSION_KEY, {}))
    searches[token] = form.cleaned_data["name"]
    request.session[SESSION_KEY] = dict(list(searches.items())[-SEARCHES_KEPT:])
    return redirect(reverse("cases:list") + "?" + _query(params, search=token))


@can_view_cases
def my_cases(request: HttpRequest) -> HttpResponse:
    """Open cases the user leads or is a key worker on, with the review prompts and overdue actions."""
    cases = selectors.my_cases(request.user).prefetch_related(_current_memberships(), _current_involvements())
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    rows: list[Any] = list(page.object_list)
    for case in rows:
        case.seen_in_full = True
        case.my_role = "Lead professional" if case.lead_professional_id == request.user.pk else "Key worker"
    audit_reads(request, rows)
    return render(
        request,
        "cases/lists/my_cases.html",
        {
            "page_title": "My cases",
            "tab": "mine",
            "page_obj": page,
            "rows": rows,
            "query_without_page": "",
            "prompts": sum(c.open_prompts for c in rows),
            "overdue": sum(c.overdue_actions for c in rows),
        },
    )


@can_view_cases
def my_actions(request: HttpRequest) -> HttpResponse:
    """My plan actions, overdue actions on the cases I lead, my agency's tasks, and a link to panel actions."""
    from openiom.panels.selectors import action_counts

    mine = selectors.my_actions(request.user)
    audit_reads(request, [*mine.owned, *mine.overdue_on_my_cases, *mine.tasks])
    from openiom.sharing.redaction import shown_actions

    mine.overdue_on_my_cases = shown_actions(request.user, mine.overdue_on_my_cases)
    return render(
        request,
        "cases/lists/my_actions.html",
        {
            "page_title": "My actions",
            "tab": "actions",
            "mine": mine,
            "today": mine.today,
            "owned_overdue": sum(a.is_overdue(mine.today) for a in mine.owned),
            "tasks_overdue": sum(t.due_on < mine.today for t in mine.tasks),
            "panel_actions": action_counts(request.user),
        },
    )


@can_manage_cases
def caseloads(request: HttpRequest) -> HttpResponse:
    """Open cases per lead professional by tier, with overdue actions and open prompts (no one's details)."""
    user: Any = request.user
    rows = selectors.caseloads(user)
    used = {level for r in rows for level in r.by_tier}
    tiers = list(Tier.objects.filter(Q(is_active=True) | Q(level__in=used)).order_by("level"))
    for row in rows:
        row.tier_counts = [row.by_tier.get(t.level, 0) for t in tiers]  # type: ignore[attr-defined]
    totals = {
        "cases": sum(r.cases for r in rows),
        "tiers": [sum(r.by_tier.get(t.level, 0) for r in rows) for t in tiers],
        "overdue": sum(r.overdue_actions for r in rows),
        "prompts": sum(r.open_prompts for r in rows),
    }
    return render(
        request,
        "cases/lists/caseloads.html",
        {
            "page_title": "Team caseloads",
            "tab": "caseloads",
            "rows": rows,
            "tiers": tiers,
            "totals": totals,
            "every_agency": sees_all_cases(user),
            "agency": user.agency,
            "today": timezone.localdate(),
        },
    )


def home_counts(user: Any) -> dict[str, int]:
    """For the home page: open cases I work on, my open actions and how many of them are overdue."""
    if not user.has_capability(Capability.CASES_VIEW):
        return {}
    mine = selectors.my_actions(user)
    return {
        "cases": full_cases(user).worked_by(user).filter(status=CaseStatus.OPEN).count(),
        "actions": len(mine.owned) + len(mine.overdue_on_my_cases) + len(mine.tasks),
        "overdue": mine.overdue_count + len(mine.overdue_on_my_cases),
    }
