"""Retention pages (administrators): periods, the review queue, one record's review, the actions taken."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from openiom.accounts.constants import Capability
from openiom.accounts.permissions import capability_required

from .forms import PeriodForm, RetentionForm
from .models import RetentionAction, RetentionRule
from .periods import KINDS, months_after
from .selectors import due_records, review_queue
from .services import RetentionRefused, apply_retention, preview_retention, set_period

administer = capability_required(Capability.ADMINISTER)


@administer
def queue(request: HttpRequest) -> HttpResponse:
    return render(request, "retention/queue.html", {"page_title": "Retention review", "groups": review_queue()})


@administer
def review(request: HttpRequest, record_type: str, object_id: int) -> HttpResponse:
    if record_type not in KINDS:
        raise Http404
    rule = get_object_or_404(RetentionRule, record_type=record_type)
    kind = KINDS[record_type]
    candidate = kind.candidates().filter(pk=object_id).first()
    if candidate is None:
        raise Http404
    is_due = due_records(rule).filter(pk=object_id).exists()
    form = RetentionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            done = apply_retention(
                record_type=record_type, object_id=object_id, by=request.user, reason=form.cleaned_data["reason"]
            )
        except RetentionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{done.label}: {done.get_action_display().lower()}")
            return redirect("retention:actions")
    action, goes, refusal = preview_retention(record_type=record_type, object_id=object_id)
    counts_from = candidate.counts_from  # type: ignore[attr-defined]
    return render(
        request,
        "retention/review.html",
        {
            "page_title": "Review a record past its retention period",
            "rule": rule,
            "label": kind.label(candidate),
            "counts_from": counts_from,
            "due_on": months_after(counts_from, rule.months),
            "is_due": is_due,
            "action": action,
            "goes": goes,
            "refusal": refusal,
            "form": form,
        },
    )


@administer
def actions(request: HttpRequest) -> HttpResponse:
    page = Paginator(RetentionAction.objects.select_related("by__agency"), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "retention/actions.html",
        {"page_title": "Records deleted under the retention rules", "page_obj": page, "query_without_page": ""},
    )


@administer
def change_period(request: HttpRequest, rule_id: int) -> HttpResponse:
    rule = get_object_or_404(RetentionRule, pk=rule_id)
    initial = {"months": rule.months, "basis": rule.basis}
    form = PeriodForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            set_period(rule=rule, by=request.user, **form.cleaned_data)
        except RetentionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Retention period changed: {rule.get_record_type_display()}")
            return redirect("retention:queue")
    return render(
        request, "retention/period.html", {"page_title": "Change a retention period", "rule": rule, "form": form}
    )
