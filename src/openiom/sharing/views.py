"""Consent pages on a case: the person's consents, recording one, withdrawing one.

Anyone who sees the case in full sees the consents (their dates and with whom, never anything
shared under them); practitioners who work on one of the person's open cases record and withdraw.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from openiom.audit.constants import Purpose
from openiom.audit.services import client_address, record_accesses
from openiom.cases.access import Access, case_access
from openiom.cases.models import Case

from .forms import ConsentForm, WithdrawForm
from .models import Consent
from .services import SharingError, can_manage_consent, record_consent, withdraw_consent


def _case(request: HttpRequest, case_id: int) -> Case:
    case = get_object_or_404(
        Case.objects.select_related("person", "tier", "lead_agency", "lead_professional"), pk=case_id
    )
    if case_access(request.user, case) is not Access.FULL:
        raise PermissionDenied
    return case


def _audit(request: HttpRequest, *objects: models.Model) -> None:
    record_accesses(
        user=request.user, objects=objects, purpose=Purpose.CASE_MANAGEMENT, remote_addr=client_address(request)
    )


@login_required
def consents(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    can_manage = can_manage_consent(request.user, case.person)
    form = ConsentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            d = form.cleaned_data
            try:
                consent = record_consent(
                    person=case.person, category=d["category"], agency=d["agency"], given_on=d["given_on"],
                    notes=d["notes"], by=request.user,
                )  # fmt: skip
            except SharingError as exc:
                form.add_error(None, str(exc)[:1].upper() + str(exc)[1:])
            else:
                messages.success(request, f"Consent to share {consent.get_category_display().lower()} recorded.")
                return redirect("sharing:consents", case_id=case.pk)
    items = list(Consent.objects.filter(person=case.person).select_related("agency", "recorded_by", "withdrawn_by"))
    _audit(request, case, case.person, *items)
    return render(
        request,
        "sharing/consents.html",
        {
            "page_title": f"Consent to share: IOM case {case.pk}",
            "case": case,
            "person": case.person,
            "consents": items,
            "form": form,
            "can_manage": can_manage,
            "back_url": reverse("cases:needs", args=[case.pk]),
        },
    )


@login_required
def withdraw(request: HttpRequest, case_id: int, consent_id: int) -> HttpResponse:
    case = _case(request, case_id)
    consent = get_object_or_404(Consent.objects.select_related("agency"), pk=consent_id, person=case.person)
    if not can_manage_consent(request.user, case.person):
        raise PermissionDenied
    form = WithdrawForm(request.POST if request.method == "POST" else None, initial={"version": consent.version})
    if request.method == "POST" and form.is_valid():
        try:
            withdraw_consent(
                consent=consent, by=request.user, version=form.cleaned_data["version"], notes=form.cleaned_data["notes"]
            )
        except SharingError as exc:
            form.add_error(None, str(exc)[:1].upper() + str(exc)[1:])
        else:
            messages.success(request, "Consent withdrawn: sharing that rested on it has stopped.")
            return redirect("sharing:consents", case_id=case.pk)
    _audit(request, case, case.person, consent)
    return render(
        request,
        "sharing/withdraw.html",
        {
            "page_title": "Withdraw consent",
            "case": case,
            "person": case.person,
            "consent": consent,
            "form": form,
            "back_url": reverse("sharing:consents", args=[case.pk]),
        },
    )
