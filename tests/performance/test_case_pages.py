"""The case page and each of its tabs make as many queries for a busy case as for a quiet one.

A case is opened with one of everything, counted, then given ten more of every item (assessments,
actions, interventions, contacts, enforcement, tasks, prompts, victims, tier changes, offences)
and counted again. Each page is read as the offender manager who leads the case, except victims,
which the police officer (whose agency may read victim details) reads too.
"""

from __future__ import annotations

import pytest

from .conftest import grows_flat

MORE = 10

# (tab, who reads it, a text that appears once per item added, how many of it the busy page shows at least)
TABS = [
    ("", "offender_manager", "Loadtest task", 1 + MORE),
    ("timeline/", "offender_manager", "Loadtest review", 1 + MORE),
    ("needs/", "offender_manager", "Loadtest action", 2 * (1 + MORE)),
    ("contacts/", "offender_manager", "Missed ", 1 + MORE),
    ("victims/", "offender_manager", "Victim ", 1 + MORE),
    ("victims/", "police_officer", "Victim ", 1 + MORE),
    ("tier/", "offender_manager", "Loadtest prompt", MORE),  # the open prompts (a tier change resolves the first)
]


@pytest.mark.parametrize(("tab", "persona", "marker", "at_least"), TABS)
def test_case_tab_queries_do_not_grow(builder, client_for, tab, persona, marker, at_least) -> None:
    case = builder.loaded_case()
    url = f"/cases/{case.pk}/{tab}"
    small, large = grows_flat(client_for(persona), url, lambda: builder.grow(case, MORE), page=url)
    assert small.text.count(marker) < large.text.count(marker)
    assert large.text.count(marker) >= at_least


def test_case_page_minimal_view_does_not_grow(builder, client_for) -> None:
    """The YOT worker (not involved) sees the minimal view: whom to call, however busy the case is."""
    case = builder.loaded_case()
    url = f"/cases/{case.pk}/"
    _small, large = grows_flat(client_for("yot_worker"), url, lambda: builder.grow(case, MORE), page=url)
    assert "LOADTEST" in large.text  # the family name, in capitals
    assert "Loadtest task" not in large.text


def test_consent_page_does_not_grow(builder, client_for) -> None:
    """The consent page lists every consent the person gave or withdrew."""
    from openiom.sharing.constants import Category
    from openiom.sharing.models import Consent
    from openiom.sharing.services import record_consent, withdraw_consent

    case = builder.loaded_case()
    om = case.lead_professional

    def more_consents() -> None:
        for category in (Category.HEALTH, Category.SUBSTANCE_MISUSE_TREATMENT):
            for _ in range(MORE // 2):
                current = Consent.objects.current().filter(person=case.person, category=category).first()
                if current is not None:
                    withdraw_consent(consent=current, by=om, notes="Loadtest withdrawn")
                record_consent(person=case.person, category=category, by=om, notes="Loadtest given")

    url = f"/sharing/cases/{case.pk}/consent/"
    small, large = grows_flat(client_for("offender_manager"), url, more_consents, page=url)
    assert small.text.count("Loadtest") == 0
    assert Consent.objects.filter(person=case.person).count() == 1 + MORE
    assert large.text.count("Loadtest given") == MORE
    assert large.text.count('govuk-tag--grey">Withdrawn') == MORE - 1
