"""One case: its page, split by MoJ sub-navigation into overview, timeline, needs and plan, contacts
and victims. The forms that change it are in `views_case_edit.py` (the case itself),
`views_case_plan.py` (needs, actions, interventions), `views_case_contacts.py` (contacts,
enforcement, tasks) and `views_case_victims.py`; the helpers they share are here.

Who sees what is decided in `access.py`: no access is a 403; the minimal view shows partners who
are not involved only whom to call; everything else needs the full view. Every page that shows a
case is a read for case management in the audit trail.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from openiom.audit.constants import Purpose
from openiom.audit.services import client_address, record_accesses
from openiom.panels.pages import sentence

from . import selectors
from .access import Access, can_change_victims, can_see_victims, can_work_on, case_access
from .constants import PromptStatus
from .contacts import Compliance, compliance, compliance_by_month
from .forms import VersionedForm
from .locking import CaseError, StaleEditError
from .models import Case

# ---- shared by every case page -------------------------------------------------------------------


def load_case(request: HttpRequest, case_id: int, *, work: bool = False, victims: bool = False) -> Case:
    """The case if the user may see it in full (and work on it, or see its victims, when asked). 403 otherwise."""
    case = get_object_or_404(
        Case.objects.select_related("person", "tier", "lead_professional", "lead_agency"), pk=case_id
    )
    if case_access(request.user, case) is not Access.FULL:
        raise PermissionDenied
    if work and not can_work_on(request.user, case):
        raise PermissionDenied
    if victims and not (can_change_victims if work else can_see_victims)(request.user, case):
        raise PermissionDenied
    return case


def posted(request: HttpRequest) -> QueryDict | None:
    """The form data of a POST (a bound form), or None for a GET (an unbound form)."""
    return request.POST if request.method == "POST" else None


def audit_reads(request: HttpRequest, case: Case, *others: models.Model) -> None:
    """The case, its person and any other record shown: each a read for case management."""
    record_accesses(
        user=request.user,
        objects=(case, case.person, *others),
        purpose=Purpose.CASE_MANAGEMENT,
        remote_addr=client_address(request),
    )


def case_context(request: HttpRequest, case: Case, tab: str) -> dict[str, Any]:
    """What every page of a case shows above its own content: the heading and the sub-navigation."""
    return {
        "case": case,
        "person": case.person,
        "tab": tab,
        "can_work": can_work_on(request.user, case),
        "can_see_victims": can_see_victims(request.user, case),
        "open_prompt_count": case.prompts.filter(status=PromptStatus.OPEN).count(),
    }


def shown_prompts(request: HttpRequest, case: Case, prompts: list[Any]) -> list[Any]:
    """Review prompts as this user may read them (see `openiom.sharing.redaction`)."""
    from openiom.sharing.redaction import shown_prompts as redact

    return redact(request.user, case, prompts)


def hidden_note_pathways(request: HttpRequest, case: Case) -> set[str]:
    """Pathways whose notes are a special category this user may not read (the level stays visible)."""
    from openiom.sharing.redaction import hidden_note_pathways as hidden

    return hidden(request.user, case)


def submit(request: HttpRequest, form: Any, act: Callable[[dict[str, Any]], Any], reload: Any = None) -> Any:
    """Run one service function with the valid form's data. On a refusal, put the reason in the form
    (shown in the error summary) and return None; the typed values stay in the form.

    When someone else saved first (`StaleEditError`), `reload()` gives what is saved now: the form
    shows it beside the typed values and carries its version, so saving again applies on top of it.
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return act(form.cleaned_data)
    except StaleEditError as exc:
        form.add_error(None, sentence(str(exc)))
        if reload is not None and isinstance(form, VersionedForm):
            current = reload()
            data = request.POST.copy()
            data["version"] = str(current.version)
            form.data = data
            form.saved = current
    except CaseError as exc:
        form.add_error(None, sentence(str(exc)))
    return None


def render_form(
    request: HttpRequest,
    case: Case,
    form: Any,
    *,
    title: str,
    tab: str,
    submit_label: str,
    back: str,
    template: str = "cases/case/form.html",
    reads: tuple[models.Model, ...] = (),
    **extra: Any,
) -> HttpResponse:
    audit_reads(request, case, *reads)
    context = case_context(request, case, tab) | {
        "page_title": title,
        "form": form,
        "submit_label": submit_label,
        "back_url": back,
        **extra,
    }
    return render(request, template, context)


# ---- the pages ------------------------------------------------------------------------------------


@login_required
def case_view(request: HttpRequest, case_id: int) -> HttpResponse:
    case = get_object_or_404(
        Case.objects.select_related("person", "tier", "lead_professional__agency", "lead_agency"), pk=case_id
    )
    access = case_access(request.user, case)
    if access is Access.NONE:
        raise PermissionDenied
    involvements = case.involvements.filter(ended_on__isnull=True).select_related("agency", "key_worker")
    memberships = list(case.memberships.order_by("-ended_on", "started_on"))
    if access is Access.MINIMAL:
        audit_reads(request, case)
        return render(
            request,
            "cases/case/minimal.html",
            {
                "page_title": f"IOM case {case.pk}",
                "case": case,
                "person": case.person,
                "memberships": [m for m in memberships if m.ended_on is None],
                "involvements": involvements,
            },
        )
    open_prompts = case.prompts.filter(status=PromptStatus.OPEN).select_related("offence")
    prompts = shown_prompts(request, case, list(open_prompts))
    tasks = list(case.tasks.open().select_related("agency"))
    audit_reads(request, case, *prompts, *tasks)
    today = timezone.localdate()
    context = case_context(request, case, "overview") | {
        "page_title": f"IOM case {case.pk}",
        "memberships": memberships,
        "involvements": involvements,
        "prompts": prompts,
        "tasks": tasks,
        "today": today,
        "tier_changes": case.tier_changes.select_related("from_tier", "to_tier", "by").order_by("-at", "-pk"),
        "overdue_actions": case.actions.overdue(today).count(),
        "open_actions": case.actions.open().count(),
    }
    return render(request, "cases/case/overview.html", context)


@login_required
def timeline_view(request: HttpRequest, case_id: int) -> HttpResponse:
    case = load_case(request, case_id)
    known = dict(selectors.TIMELINE_KINDS)
    chosen = [k for k in request.GET.getlist("kind") if k in known]
    from openiom.sharing.constants import SEXUAL_OFFENCE_CODES, Category
    from openiom.sharing.policy import may_read

    restricted = frozenset() if may_read(request.user, Category.SEXUAL_OFFENDING, case) else SEXUAL_OFFENCE_CODES
    events = selectors.case_timeline(
        case, kinds=set(chosen) or None, restricted_offence_codes=restricted, reader=request.user
    )
    audit_reads(request, case)
    context = case_context(request, case, "timeline") | {
        "page_title": f"Timeline: IOM case {case.pk}",
        "kinds": [(value, label, value in chosen) for value, label in selectors.TIMELINE_KINDS],
        "filtered": bool(chosen),
        "events": events,
    }
    return render(request, "cases/case/timeline.html", context)


@dataclass
class NeedChange:
    need: Any
    change: str  # "", "up", "down", "same"


def _changes(row: list[Any]) -> list[NeedChange]:
    from .constants import NEED_RANK

    out: list[NeedChange] = []
    previous = None
    for need in row:
        change = ""
        if need is not None and previous is not None:
            a, b = NEED_RANK.get(previous.level, 0), NEED_RANK.get(need.level, 0)
            change = "up" if b > a else "down" if b < a else "same"
        out.append(NeedChange(need, change))
        previous = need if need is not None else previous
    return out


@login_required
def needs_view(request: HttpRequest, case_id: int) -> HttpResponse:
    case = load_case(request, case_id)
    today = timezone.localdate()
    assessments, rows = selectors.needs_history(case)
    latest = assessments[-1] if assessments else None
    actions = list(case.actions.select_related("owner", "owner_agency").order_by("pathway", "due_on", "pk"))
    from .constants import Pathway

    plan = [
        (value, label, [a for a in actions if a.pathway == value])
        for value, label in Pathway.choices
        if any(a.pathway == value for a in actions)
    ]
    interventions = list(case.interventions.select_related("service", "referred_by"))
    audit_reads(request, case, *assessments, *actions, *interventions)
    from openiom.sharing.redaction import shown_actions

    actions = shown_actions(request.user, actions)
    context = case_context(request, case, "needs") | {
        "page_title": f"Needs and plan: IOM case {case.pk}",
        "latest": latest,
        "latest_needs": list(latest.needs.all()) if latest else [],
        "hidden_notes": hidden_note_pathways(request, case),
        "assessments": assessments,
        "history": [(label, _changes(row)) for label, row in rows],
        "plan": plan,
        "action_count": len(actions),
        "overdue": sum(a.is_overdue(today) for a in actions),
        "today": today,
        "interventions": interventions,
    }
    return render(request, "cases/case/needs.html", context)


# The bar chart of compliance month by month: drawn on the server as SVG (no script, CSP-safe),
# always with the same figures in a table beside it.
CHART_MONTHS = 12
BAR_WIDTH, BAR_GAP, CHART_HEIGHT, LEFT, TOP, BOTTOM = 36, 12, 200, 44, 16, 40


@dataclass
class Bar:
    month: Any
    compliance: Compliance
    x: int
    y: int
    height: int
    label_x: int


def compliance_chart(months: list[tuple[Any, Compliance]]) -> dict[str, Any]:
    shown = months[-CHART_MONTHS:]
    bars = []
    for i, (month, rate) in enumerate(shown):
        x = LEFT + BAR_GAP + i * (BAR_WIDTH + BAR_GAP)
        height = round(CHART_HEIGHT * (rate.rate or 0))
        bars.append(Bar(month, rate, x, TOP + CHART_HEIGHT - height, height, x + BAR_WIDTH // 2))
    width = LEFT + BAR_GAP + len(shown) * (BAR_WIDTH + BAR_GAP)
    grid = [(p, TOP + CHART_HEIGHT - CHART_HEIGHT * p // 100) for p in (0, 25, 50, 75, 100)]
    return {
        "bars": bars,
        "width": width,
        "height": TOP + CHART_HEIGHT + BOTTOM,
        "bar_width": BAR_WIDTH,
        "left": LEFT,
        "right": width,
        "grid": grid,
        "axis_y": TOP + CHART_HEIGHT,
        "month_y": TOP + CHART_HEIGHT + 18,
        "year_y": TOP + CHART_HEIGHT + 34,
    }


@login_required
def contacts_view(request: HttpRequest, case_id: int) -> HttpResponse:
    case = load_case(request, case_id)
    contacts = list(case.contacts.select_related("agency", "by", "outcome_recorded_by"))
    enforcements = list(case.enforcements.select_related("agency", "by", "contact"))
    audit_reads(request, case, *contacts, *enforcements)
    from openiom.sharing.redaction import shown_contacts

    contacts = shown_contacts(request.user, case, contacts)
    months = compliance_by_month(case)
    context = case_context(request, case, "contacts") | {
        "page_title": f"Contacts: IOM case {case.pk}",
        "contacts": contacts,
        "enforcements": enforcements,
        "compliance": compliance(case),
        "chart": compliance_chart(months),
        "months": list(reversed(months[-CHART_MONTHS:])),
        "now": timezone.now(),
    }
    return render(request, "cases/case/contacts.html", context)


@login_required
def victims_view(request: HttpRequest, case_id: int) -> HttpResponse:
    case = load_case(request, case_id, victims=True)
    victims = list(case.victims.select_related("added_by"))
    audit_reads(request, case, *victims)
    context = case_context(request, case, "victims") | {
        "page_title": f"Victims: IOM case {case.pk}",
        "victims": victims,
        "can_change_victims": can_change_victims(request.user, case),
    }
    return render(request, "cases/case/victims.html", context)
