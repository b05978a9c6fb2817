"""Consent withdrawal takes effect at once; an administrator's change to the matrix changes what a persona sees;
only administrators reach the matrix pages, and every change is in the audit trail."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from auditlog.models import LogEntry
from django.test import Client

from openiom.sharing.constants import Category
from openiom.sharing.defaults import DEFAULT_RULES
from openiom.sharing.models import Consent, SharingRule
from openiom.sharing.policy import may_read
from openiom.sharing.services import SharingError, category_fingerprint, record_consent, set_category_rules
from tests.conftest import PERSONAS
from tests.sharing.conftest import ACCOMMODATION_NOTE, HEALTH_NOTE, SharingWorld, text


def test_health_notes_are_seen_with_consent_and_hidden_the_moment_it_is_withdrawn(
    client_for: Callable[[str], Client], world: SharingWorld
) -> None:
    om = client_for("offender_manager")
    assert HEALTH_NOTE in text(om.get(world.url("needs/")))
    consents = f"/sharing/cases/{world.case.pk}/consent/"
    withdraw = f"{consents}{world.consent.pk}/withdraw/"
    response = om.post(withdraw, {"version": world.consent.version, "notes": "Said so at the office"})
    assert response.status_code == 302
    page = text(om.get(world.url("needs/")))
    assert HEALTH_NOTE not in page
    assert ACCOMMODATION_NOTE in page
    assert "Withdrawn" in text(om.get(consents))
    # Consent given again, to probation only: probation sees the notes again; the YOT's rule would need its own.
    record_consent(person=world.person, category=Category.HEALTH, by=world.users["offender_manager"],
                   agency=world.users["offender_manager"].agency)  # fmt: skip
    assert HEALTH_NOTE in text(om.get(world.url("needs/")))


def test_a_second_withdrawal_from_the_same_form_is_refused(client_for: Callable[[str], Client], world: SharingWorld):
    om = client_for("offender_manager")
    url = f"/sharing/cases/{world.case.pk}/consent/{world.consent.pk}/withdraw/"
    assert om.post(url, {"version": world.consent.version}).status_code == 302
    again = om.post(url, {"version": world.consent.version})
    assert again.status_code == 200
    assert "Someone else changed this consent" in text(again)


def test_consent_is_recorded_only_by_practitioners_working_on_the_case(
    client_for: Callable[[str], Client], world: SharingWorld
) -> None:
    url = f"/sharing/cases/{world.case.pk}/consent/"
    assert client_for("panel_chair").post(url, {"category": "health"}).status_code == 403  # sees it, cannot manage
    assert client_for("yot_worker").get(url).status_code == 403  # minimal view only
    before = Consent.objects.count()
    response = client_for("partner_practitioner").post(url, {"category": "substance_misuse_treatment"})
    assert response.status_code == 302
    assert Consent.objects.count() == before + 1
    with pytest.raises(SharingError, match="does not rest on consent"):
        record_consent(person=world.person, category=Category.MAPPA, by=world.users["offender_manager"])


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("address", ["/administration/sharing/", "/administration/sharing/health/"])
def test_only_administrators_reach_the_sharing_rules(
    client_for: Callable[[str], Client], partnership: object, persona: str, address: str
) -> None:
    response = client_for(persona).get(address)
    assert response.status_code == (200 if persona == "administrator" else 403)
    if persona == "administrator":
        assert "Mental health" in text(response)


def test_an_administrator_opening_health_to_housing_lets_the_housing_practitioner_read_it(
    client_for: Callable[[str], Client], world: SharingWorld
) -> None:
    housing = client_for("partner_practitioner")
    assert HEALTH_NOTE not in text(housing.get(world.url("needs/")))
    admin = client_for("administrator")
    form = {"fingerprint": category_fingerprint(Category.HEALTH)}
    for rule in SharingRule.objects.filter(category=Category.HEALTH):
        form[f"{rule.agency_type}__read"] = "on"
        if rule.can_write:
            form[f"{rule.agency_type}__write"] = "on"
        if rule.needs_consent:
            form[f"{rule.agency_type}__consent"] = "on"
    form["housing__read"] = "on"
    form["housing__consent"] = "on"
    response = admin.post("/administration/sharing/health/", form)
    assert response.status_code == 302, text(response)
    assert HEALTH_NOTE in text(housing.get(world.url("needs/")))  # the person consented to all partners
    rule = SharingRule.objects.get(category=Category.HEALTH, agency_type="housing")
    assert rule.updated_by == world.users["administrator"]
    assert LogEntry.objects.get_for_object(rule).filter(action=LogEntry.Action.CREATE).exists()
    # ... and taking it away again hides it at once
    set_category_rules(category=Category.HEALTH, rules={"housing": _no_access()}, by=world.users["administrator"])
    assert HEALTH_NOTE not in text(housing.get(world.url("needs/")))


def _no_access() -> object:
    from openiom.sharing.services import RuleInput

    return RuleInput()


def test_a_stale_matrix_form_is_refused_and_bad_rules_too(client_for: Callable[[str], Client], partnership: dict):
    admin = partnership["administrator"]
    from openiom.sharing.services import RuleInput

    old = category_fingerprint(Category.MAPPA)
    set_category_rules(category=Category.MAPPA, rules={"housing": RuleInput(can_read=True)}, by=admin)
    with pytest.raises(SharingError, match="Someone else changed"):
        set_category_rules(category=Category.MAPPA, rules={"housing": RuleInput()}, by=admin, fingerprint=old)
    with pytest.raises(SharingError, match="may not write"):
        set_category_rules(category=Category.MAPPA, rules={"housing": RuleInput(can_write=True)}, by=admin)
    with pytest.raises(SharingError, match="cannot rest on consent"):
        set_category_rules(
            category=Category.MAPPA, rules={"housing": RuleInput(can_read=True, needs_consent=True)}, by=admin
        )
    with pytest.raises(SharingError, match="only administrators"):
        set_category_rules(category=Category.MAPPA, rules={}, by=partnership["iom_coordinator"])


def test_the_seeded_matrix_is_the_documented_defaults(db: None) -> None:
    stored = {
        (r.category, r.agency_type): (r.can_read, r.can_write, r.needs_consent) for r in SharingRule.objects.all()
    }
    assert stored == {(d.category, d.agency_type): (d.can_read, d.can_write, d.needs_consent) for d in DEFAULT_RULES}


def test_without_a_case_or_person_right_no_rule_gives_access(world: SharingWorld) -> None:
    for persona in ("analyst", "strategic_member", "administrator"):
        for category in Category.values:
            assert not may_read(world.users[persona], category, world.person)
            assert not may_read(world.users[persona], category, world.case)
