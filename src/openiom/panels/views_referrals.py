"""Referring a person to a panel, the referrals list and a referral's page with its acknowledgement form.

Whoever may refer can refer someone new; people who can search people can refer someone OpenIOM
already knows from their page (the person's id, never their name, is in the address).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from openiom.accounts.constants import Capability
from openiom.people.models import Person

from . import selectors
from .circulation import send_acknowledgement
from .constants import CirculationKind
from .documents import acknowledgement_pdf
from .forms import ReferralForm
from .models import Referral
from .pages import audit_reads, can_manage, can_refer, can_view, pdf_response, sentence
from .referrals import refer_new_person, where_it_went
from .services import PanelError, refer


def _person_from_query(request: HttpRequest) -> Person | None:
    raw = request.GET.get("person", "")
    if not raw:
        return None
    if not raw.isdigit():
        raise PermissionDenied  # never a name or anything else in the address
    if not request.user.has_perm("openiom.people_view"):
        raise PermissionDenied
    return get_object_or_404(Person, pk=int(raw))


@can_refer
def refer_view(request: HttpRequest) -> HttpResponse:
    person = _person_from_query(request)
    if person is not None:
        audit_reads(request, [person])
    initial = {"nominating_officer": request.user}
    form = ReferralForm(
        request.POST if request.method == "POST" else None, initial=initial, existing_person=person is not None
    )
    if request.method == "POST" and form.is_valid():
        arguments = form.referral_arguments()
        try:
            if person is not None:
                result = refer(person=person, referred_by=request.user, **arguments)
            else:
                result = refer_new_person(new=form.new_person(), referred_by=request.user, **arguments)
        except PanelError as exc:
            form.add_error(None, sentence(str(exc)))
        else:
            messages.success(request, where_it_went(result))
            return redirect("panels:referral", referral_id=result.referral.pk)
    return render(
        request,
        "panels/refer.html",
        {"page_title": "Refer a person to a panel", "form": form, "person": person},
    )


def _visible_referral(request: HttpRequest, referral_id: int) -> Referral:
    referral = selectors.referral(referral_id)
    if not selectors.can_see_referral(request.user, referral):
        raise PermissionDenied
    audit_reads(request, [referral, referral.person])
    return referral


@login_required
def referral_view(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = _visible_referral(request, referral_id)
    decision = selectors.referral_decision(referral)
    return render(
        request,
        "panels/referral.html",
        {
            "page_title": f"Referral {referral.pk}",
            "referral": referral,
            "events": referral.events.select_related("by"),
            "decision": decision,
            "acknowledgements": referral.circulations.filter(kind=CirculationKind.ACKNOWLEDGEMENT).select_related(
                "sent_by"
            ),
            "can_see_panels": request.user.has_perm("openiom.panels_view"),
            "can_manage": request.user.has_perm("openiom.panels_manage"),
        },
    )


@login_required
def acknowledgement_download(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = _visible_referral(request, referral_id)
    return pdf_response(acknowledgement_pdf(referral), f"acknowledgement-{referral.pk}.pdf")


@can_manage
@require_POST
def acknowledgement_send(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = get_object_or_404(Referral.objects.select_related("nominating_officer", "meeting"), pk=referral_id)
    try:
        send_acknowledgement(referral=referral, by=request.user)
    except PanelError as exc:
        messages.error(request, sentence(str(exc)))
    else:
        messages.success(request, f"The acknowledgement response form was sent to {referral.nominating_officer}.")
    return redirect("panels:referral", referral_id=referral.pk)


@can_view
def referral_list(request: HttpRequest) -> HttpResponse:
    show_all = request.GET.get("show") == "all"
    page = Paginator(selectors.referral_list(open_only=not show_all), 25).get_page(request.GET.get("page"))
    audit_reads(request, page.object_list)
    return render(
        request,
        "panels/referral_list.html",
        {
            "page_title": "Referrals",
            "page_obj": page,
            "show_all": show_all,
            "query_without_page": "show=all&" if show_all else "",
            "can_refer": request.user.has_perm(f"openiom.{Capability.REFER.value}"),
        },
    )
