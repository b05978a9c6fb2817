"""Asking for break-glass access: who may, the reason, the e-mail, and how long it lasts."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from openiom.breakglass.models import Grant
from openiom.breakglass.services import BreakGlassError, ask_for_access
from openiom.cases.access import Access, case_access

from .conftest import REASON


def _template(response) -> str:
    return next(t.name for t in response.templates if t.name.startswith("cases/case/"))


def test_full_view_during_the_grant_and_minimal_view_after_it(client_for, partnership, case) -> None:
    practitioner = partnership["partner_practitioner"]
    client = client_for("partner_practitioner")
    with time_machine.travel("2026-11-24 09:00:00+00:00", tick=False) as clock:
        page = client.get(f"/cases/{case.pk}/")
        assert _template(page) == "cases/case/minimal.html"
        assert f'href="/break-glass/cases/{case.pk}/"' in page.content.decode()

        response = client.post(f"/break-glass/cases/{case.pk}/", {"reason": REASON})
        assert response.status_code == 302
        assert response["Location"] == f"/cases/{case.pk}/"
        grant = Grant.objects.get(user=practitioner, case=case)
        assert grant.expires_at - grant.granted_at == timedelta(hours=4)
        assert _template(client.get(f"/cases/{case.pk}/")) == "cases/case/overview.html"
        assert client.get(f"/cases/{case.pk}/timeline/").status_code == 200

        clock.shift(timedelta(hours=3, minutes=59))
        assert case_access(practitioner, case) is Access.FULL

        clock.shift(timedelta(minutes=2))
        assert case_access(practitioner, case) is Access.MINIMAL
        client = client_for("partner_practitioner")  # hours idle: the old session has timed out
        assert _template(client.get(f"/cases/{case.pk}/")) == "cases/case/minimal.html"
        assert client.get(f"/cases/{case.pk}/timeline/").status_code == 403


def test_the_length_of_a_grant_comes_from_the_settings(settings, partnership, case) -> None:
    settings.BREAK_GLASS_HOURS = 1
    grant = ask_for_access(user=partnership["partner_practitioner"], case=case, reason=REASON)
    assert grant.expires_at - grant.granted_at == timedelta(hours=1)


@pytest.mark.parametrize(
    "reason", ["", "   ", "Need it now", "urgent urgent urgent urgent urgent", "x" * 40], ids=str.__len__
)
def test_a_reason_of_at_least_a_sentence_is_required(client_for, partnership, case, reason: str) -> None:
    response = client_for("partner_practitioner").post(f"/break-glass/cases/{case.pk}/", {"reason": reason})
    if reason == "urgent urgent urgent urgent urgent":  # five words, 34 characters: a sentence, if a poor one
        assert response.status_code == 302
        return
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert not Grant.objects.exists()
    with pytest.raises(BreakGlassError):
        ask_for_access(user=partnership["partner_practitioner"], case=case, reason=reason)


def test_the_reviewers_are_emailed_with_an_id_link_and_nothing_personal(partnership, case, mailoutbox) -> None:
    grant = ask_for_access(user=partnership["partner_practitioner"], case=case, reason=REASON)
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert set(message.to) == {partnership["iom_coordinator"].email, partnership["administrator"].email}
    assert message.subject == f"OpenIOM: break-glass access granted (grant {grant.pk})"
    assert f"/break-glass/{grant.pk}/" in message.body
    for personal in ("Glenda", "Brakeman", "licence", "placement"):
        assert personal not in message.subject
        assert personal not in message.body


@pytest.mark.parametrize("persona", ["analyst", "strategic_member", "administrator"])
def test_someone_without_cases_view_cannot_ask(client_for, partnership, case, persona: str) -> None:
    client = client_for(persona)
    assert client.get(f"/break-glass/cases/{case.pk}/").status_code == 403
    assert client.post(f"/break-glass/cases/{case.pk}/", {"reason": REASON}).status_code == 403
    with pytest.raises(PermissionDenied):
        ask_for_access(user=partnership[persona], case=case, reason=REASON)
    assert not Grant.objects.exists()


@pytest.mark.parametrize("persona", ["offender_manager", "iom_coordinator"])
def test_someone_who_already_sees_the_case_in_full_cannot_ask(client_for, partnership, case, persona: str) -> None:
    assert client_for(persona).get(f"/break-glass/cases/{case.pk}/").status_code == 403
    with pytest.raises(BreakGlassError):
        ask_for_access(user=partnership[persona], case=case, reason=REASON)


def test_asking_twice_keeps_the_first_grant(client_for, partnership, case) -> None:
    ask_for_access(user=partnership["partner_practitioner"], case=case, reason=REASON)
    with pytest.raises(BreakGlassError):
        ask_for_access(user=partnership["partner_practitioner"], case=case, reason=REASON)
    response = client_for("partner_practitioner").get(f"/break-glass/cases/{case.pk}/")
    assert response.status_code == 302
    assert Grant.objects.count() == 1


def test_a_grant_is_for_one_user_and_one_case(partnership, case) -> None:
    ask_for_access(user=partnership["partner_practitioner"], case=case, reason=REASON)
    assert case_access(partnership["yot_worker"], case) is Access.MINIMAL
    assert case_access(partnership["police_officer"], case) is Access.MINIMAL


def test_a_grant_opens_special_categories_but_never_the_victims(partnership, case) -> None:
    """Break-glass is about the person's own record; victims are third parties and keep their own rule."""
    from openiom.breakglass.services import ask_for_access as ask
    from openiom.cases.access import can_see_victims
    from openiom.sharing.constants import Category
    from openiom.sharing.policy import may_read

    practitioner = partnership["partner_practitioner"]
    with time_machine.travel("2026-11-24 09:00:00+00:00", tick=False):
        assert not may_read(practitioner, Category.MAPPA, case)
        ask(user=practitioner, case=case, reason=REASON)
        assert may_read(practitioner, Category.MAPPA, case)
        assert may_read(practitioner, Category.HEALTH, case)
        assert not may_read(practitioner, Category.VICTIM_DETAILS, case)
        assert not can_see_victims(practitioner, case)
