"""Administrators configure the pyramid; a tier with open cases cannot be taken out of use."""

from __future__ import annotations

import pytest

from openiom.cases.models import Tier

pytestmark = pytest.mark.django_db


def _post(client, tier: Tier, **changes):  # the whole form, as the page sends it
    data = {"level": tier.level, "name": tier.name, "description": tier.description, "quiet_days": tier.quiet_days,
            "min_compliance": tier.min_compliance, "is_active": "on" if tier.is_active else ""}  # fmt: skip
    data.update(changes)
    return client.post(f"/administration/tiers/{tier.pk}/", {k: v for k, v in data.items() if v != ""})


def test_the_administrator_changes_a_tier_and_sees_it_listed(client_for, tiers):
    client = client_for("administrator")
    response = _post(client, tiers[3], quiet_days=120, min_compliance=75, name="Tier 3: universal")
    assert response.status_code == 302
    tiers[3].refresh_from_db()
    assert (tiers[3].quiet_days, tiers[3].min_compliance, tiers[3].name) == (120, 75, "Tier 3: universal")
    page = client.get("/administration/tiers/").content.decode()
    assert "Tier 3: universal" in page
    assert "75%" in page


def test_a_tier_with_open_cases_stays_in_use(client_for, make_case, tiers, today):
    make_case(tier=2)
    response = _post(client_for("administrator"), tiers[2], is_active="")
    assert response.status_code == 200
    assert "1 open case is at this tier: move them to another tier first" in response.content.decode()
    tiers[2].refresh_from_db()
    assert tiers[2].is_active


def test_bad_values_are_refused_with_the_input_kept(client_for, tiers):
    response = _post(client_for("administrator"), tiers[1], min_compliance=120, name="Tier 1: very intensive")
    html = response.content.decode()
    assert "Good compliance is a percentage: 100 or less" in html
    assert 'value="Tier 1: very intensive"' in html
    tiers[1].refresh_from_db()
    assert tiers[1].min_compliance == 80


@pytest.mark.parametrize("persona", ["iom_coordinator", "offender_manager", "partner_practitioner"])
def test_only_administrators_change_tiers(client_for, tiers, persona):
    assert client_for(persona).get("/administration/tiers/").status_code == 403
    assert _post(client_for(persona), tiers[1], quiet_days=5).status_code == 403
