"""Forms for linked victims: add, correct, refer to Victim Support. Only for those entitled to see
victims (`access.can_see_victims`) who may work on the case; everyone else gets a 403."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from . import victims
from .forms import VictimEditForm, VictimForm, VictimSupportForm
from .models import Case, Victim
from .views_case import load_case, posted, render_form, submit


def _victims(case: Case) -> str:
    return reverse("cases:victims", args=[case.pk])


@login_required
def add_victim(request: HttpRequest, case_id: int) -> HttpResponse:
    case = load_case(request, case_id, work=True, victims=True)
    form = VictimForm(posted(request))
    victim = submit(request, form, lambda d: victims.add_victim(case=case, by=request.user, **d))
    if victim is not None:
        messages.success(request, f"{victim.label} is linked to the case.")
        return redirect("cases:victims", case_id=case.pk)
    return render_form(
        request, case, form, title="Link a victim", tab="victims", submit_label="Link the victim", back=_victims(case)
    )


@login_required
def edit_victim(request: HttpRequest, case_id: int, victim_id: int) -> HttpResponse:
    case = load_case(request, case_id, work=True, victims=True)
    victim = get_object_or_404(Victim, pk=victim_id, case=case)
    initial = {
        "version": victim.version, "label": victim.label, "relationship": victim.relationship,
        "repeat": victim.repeat, "vulnerable": victim.vulnerable, "safety_notes": victim.safety_notes,
    }  # fmt: skip
    form = VictimEditForm(posted(request), initial=initial)
    done = submit(
        request,
        form,
        lambda d: victims.update_victim(victim=victim, by=request.user, **d),
        lambda: Victim.objects.get(pk=victim.pk),
    )
    if done is not None:
        messages.success(request, f"{done.label}'s details are saved.")
        return redirect("cases:victims", case_id=case.pk)
    return render_form(
        request, case, form, title="Change a victim's details", tab="victims", submit_label="Save the details",
        back=_victims(case), reads=(victim,),
    )  # fmt: skip


@login_required
def refer_victim(request: HttpRequest, case_id: int, victim_id: int) -> HttpResponse:
    case = load_case(request, case_id, work=True, victims=True)
    victim = get_object_or_404(Victim, pk=victim_id, case=case)
    form = VictimSupportForm(posted(request), initial={"version": victim.version})
    done = submit(
        request,
        form,
        lambda d: victims.refer_to_victim_support(
            victim=victim, by=request.user, version=d["version"], referred_on=d["referred_on"]
        ),
        lambda: Victim.objects.get(pk=victim.pk),
    )
    if done is not None:
        messages.success(
            request,
            f"{done.label}'s referral to Victim Support on {done.victim_support_referred_on:%-d %B %Y} is recorded.",
        )
        return redirect("cases:victims", case_id=case.pk)
    return render_form(
        request, case, form, title=f"Refer {victim.label} to Victim Support", tab="victims",
        submit_label="Record the referral", back=_victims(case),
        object_rows=[("Victim", victim.label), ("Relationship", victim.relationship or "Not given")], reads=(victim,),
    )  # fmt: skip
