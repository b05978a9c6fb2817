"""The person page says whether the person has an open IOM case, and links to it."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_the_person_page_links_the_open_case(client_for, make_case, today):
    case = make_case(cohort="HCC")
    html = client_for("police_officer").get(f"/people/{case.person.pk}/").content.decode()
    assert f'href="/cases/{case.pk}/"' in html
    assert "High Crime Causer, Tier 2: enhanced</a>, led by Olu Mensah" in html


def test_no_case_no_row(client_for, make_person, today):
    person = make_person()
    html = client_for("police_officer").get(f"/people/{person.pk}/").content.decode()
    assert "IOM case" not in html
