"""Performance against targets: the report (REPORTS_VIEW), and setting targets (REPORTS_MANAGE)."""

from __future__ import annotations

from dataclasses import fields

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from openiom.accounts.constants import Capability
from openiom.accounts.permissions import capability_required
from openiom.cases.locking import StaleEditError

from .cache import cached
from .forms_targets import TargetForm
from .models import Target, TargetKind
from .targets import (
    TargetData,
    TargetError,
    create_target,
    deactivate_target,
    target_changes,
    targets_report,
    update_target,
)
from .views import _download

can_view = capability_required(Capability.REPORTS_VIEW)
can_manage = capability_required(Capability.REPORTS_MANAGE)


@can_view
def targets(request: HttpRequest) -> HttpResponse:
    report = cached("targets", targets_report)
    download = _download(request, [report], "targets", "Performance against targets")
    if download is not None:
        return download
    manage = request.user.has_capability(Capability.REPORTS_MANAGE)  # type: ignore[union-attr]
    return render(
        request,
        "evaluation/targets.html",
        {"page_title": "Performance against targets", "report": report, "query": "", "current": "targets",
         "can_manage": manage, "targets": list(Target.objects.active()) if manage else []},
    )  # fmt: skip


@can_manage
def add(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        form = TargetForm(initial={"cohort": "IOM", "kind": TargetKind.REDUCE_BY})
    else:
        form = TargetForm(request.POST)
        if form.is_valid():
            try:
                target = create_target(form.data_for_target(), by=request.user)
            except TargetError as exc:
                form.add_target_errors(exc)
            else:
                messages.success(request, f"The target {target.name} has been set")
                return redirect("evaluation:targets")
    return render(request, "evaluation/target_form.html", {"page_title": "Add a target", "form": form, "target": None})


@can_manage
def change(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_object_or_404(Target.objects.active(), pk=pk)
    stale: Target | None = None
    if request.method != "POST":
        form = TargetForm(initial=TargetForm.initial_for(TargetData.of(target), target.version))
    else:
        form = TargetForm(request.POST)
        if form.is_valid():
            try:
                update_target(target, form.data_for_target(), by=request.user, version=form.cleaned_data["version"])
            except TargetError as exc:
                form.add_target_errors(exc)
            except StaleEditError as exc:
                form.add_error(None, str(exc))
                stale = target
            else:
                messages.success(request, f"Your changes to the target {target.name} have been saved")
                return redirect("evaluation:targets")
    changed: list[tuple[str, str, str]] = []
    if stale is not None:
        # Keep what they typed, show what is saved now; the next save starts from the saved version.
        yours = form.data_for_target()
        labels = {f.name: str(form.fields[f.name].label).removesuffix(" (optional)") for f in fields(TargetData)}
        changed = [
            (labels[name], form.shown(name, getattr(stale, name)), form.shown(name, getattr(yours, name)))
            for name in target_changes(stale, yours)
        ]
        data = request.POST.copy()
        data["version"] = str(stale.version)
        form.data = data
    return render(
        request,
        "evaluation/target_form.html",
        {"page_title": f"Change {target.name}", "form": form, "target": target, "stale": stale, "changed": changed},
    )


@can_manage
@require_POST
def deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_object_or_404(Target, pk=pk)
    version = request.POST.get("version", "")
    try:
        deactivate_target(target, by=request.user, version=int(version) if version.isdigit() else None)
    except (TargetError, StaleEditError) as exc:
        messages.error(request, str(exc))
        if target.is_active:
            return redirect("evaluation:target_change", pk=target.pk)
        return redirect("evaluation:targets")
    messages.success(request, f"The target {target.name} is no longer reported")
    return redirect("evaluation:targets")
