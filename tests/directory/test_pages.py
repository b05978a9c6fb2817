"""The directory pages: search without JavaScript, the forms and their errors, the stale edit, import, gaps."""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from openiom.cases.models import Case
from openiom.cases.plans import refer_to_service
from openiom.directory.models import Service
from openiom.directory.services import update_service
from tests.directory.conftest import service_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(client_for: Callable[[str], Client]) -> Client:
    return client_for("iom_coordinator")


def text(response: object) -> str:
    html = response.content.decode()  # type: ignore[attr-defined]
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_the_list_filters_by_get_and_shows_places_and_selected_filters(
    client_for: Callable[[str], Client], make_service: Callable[..., Service]
) -> None:
    make_service(capacity=10)
    make_service(name="Hostel", provider="Homeless Partnership", pathways=["accommodation"], min_age=18)
    page = client_for("offender_manager").get("/services/", {"pathway": "finance", "q": "debt"})
    body = text(page)
    assert "1 service" in body
    assert "Debt advice" in body
    assert "Hostel" not in body
    assert "10 of 10 free" in body
    assert "Remove this filter Finance, benefits and debt" in body
    # Removing the pathway filter keeps the words.
    assert 'href="?q=debt"' in page.content.decode()


def test_a_wrong_filter_value_is_reported_and_the_rest_still_apply(
    client_for: Callable[[str], Client], make_service: Callable[..., Service]
) -> None:
    make_service()
    make_service(name="Hostel", provider="Homeless Partnership", pathways=["accommodation"])
    body = text(client_for("analyst").get("/services/", {"age": "old", "pathway": "accommodation"}))
    assert "There is a problem" in body
    assert "Age of the person must be a whole number, like 18" in body
    assert "1 service" in body
    assert "Hostel" in body


def test_the_detail_page_shows_eligibility_places_and_referral_route(
    client_for: Callable[[str], Client], make_service: Callable[..., Service]
) -> None:
    service = make_service(min_age=18, max_age=25, gender="F", cohorts=["PPO"], capacity=3, referral_route="Phone us")
    body = text(client_for("partner_practitioner").get(f"/services/{service.pk}/"))
    assert "Aged 18 to 25; women only; Prolific and Priority Offender cohort only" in body
    assert "3 at any one time; 3 free" in body
    assert "Phone us" in body
    assert "Change" not in body  # the practitioner cannot change it


def test_adding_a_service_with_problems_shows_them_and_saves_nothing(coordinator: Client) -> None:
    response = coordinator.post("/services/new/", {"name": "Hostel", "provider": "", "min_age": "30", "max_age": "20"})
    body = text(response)
    assert response.status_code == 200
    assert "There is a problem" in body
    for message in (
        "Enter the organisation that provides the service",
        "Choose at least one pathway the service works on",
        "The maximum age (20) must be the same as or more than the minimum age (30)",
    ):
        assert body.count(message) == 2  # in the summary and by the field
    assert not Service.objects.exists()


def test_adding_a_service(coordinator: Client) -> None:
    response = coordinator.post(
        "/services/new/",
        {"name": "Hostel", "provider": "Homeless Partnership", "pathways": ["accommodation"], "capacity": "24"},
    )
    service = Service.objects.get()
    assert response["Location"] == f"/services/{service.pk}/"
    assert (service.capacity, service.updated_by.email) == (24, "coordinator@openiom.test")  # type: ignore[union-attr]


def test_a_stale_edit_keeps_the_users_input_and_says_what_differs(
    coordinator: Client, make_service: Callable[..., Service]
) -> None:
    service = make_service(capacity=10)
    form = coordinator.get(f"/services/{service.pk}/edit/")
    assert 'name="version" value="1"' in form.content.decode()
    update_service(service, service_data(capacity=12), by=None, version=1)  # someone else saves first
    mine = {"name": "Debt advice", "provider": "Citizens Advice", "pathways": ["finance"], "capacity": "15",
            "area": "North", "version": "1"}  # fmt: skip
    response = coordinator.post(f"/services/{service.pk}/edit/", mine)
    body = text(response)
    assert response.status_code == 200
    assert "Someone else changed this service after you opened it, so your change has not been saved." in body
    assert (
        "What is saved now and what you entered Field Saved now Yours (kept below) Area Blank North Places 12 15"
        in body
    )
    html = response.content.decode()
    assert 'value="15"' in html
    assert 'value="North"' in html  # their input is kept
    assert 'name="version" value="2"' in html  # saving again is their deliberate choice
    service.refresh_from_db()
    assert (service.capacity, service.area) == (12, "")
    again = coordinator.post(f"/services/{service.pk}/edit/", {**mine, "version": "2"})
    assert again.status_code == 302
    service.refresh_from_db()
    assert (service.capacity, service.area, service.version) == (15, "North", 3)


def test_the_import_page_lists_every_problem_and_saves_nothing(coordinator: Client) -> None:
    content = b"name,provider,pathways,capacity\nDebt advice,Citizens Advice,finance,25\nHostel,Homeless,housing,many\n"
    response = coordinator.post("/services/import/", {"file": SimpleUploadedFile("services.csv", content)})
    body = text(response)
    assert "Nothing was imported: 2 problems in the file." in body
    assert '3 pathways "housing" is not a pathway.' in body
    assert '3 capacity The number of places must be a whole number, or blank (not "many")' in body
    assert not Service.objects.exists()


def test_the_import_page_imports_and_says_how_many(coordinator: Client) -> None:
    content = b"name,provider,pathways\nDebt advice,Citizens Advice,finance\n"
    response = coordinator.post("/services/import/", {"file": SimpleUploadedFile("services.csv", content)}, follow=True)
    assert "Imported 1 service: 1 new, 0 updated, 0 unchanged." in text(response)
    assert Service.objects.count() == 1


def test_the_import_page_refuses_other_files(coordinator: Client) -> None:
    response = coordinator.post("/services/import/", {"file": SimpleUploadedFile("services.xlsx", b"PK")})
    assert "The file must be a CSV file (.csv)" in text(response)


def test_the_gaps_page_shows_need_places_and_flags(
    client_for: Callable[[str], Client],
    make_service: Callable[..., Service],
    make_case: Callable[..., Case],
    partnership: dict,
) -> None:
    """Three cases need accommodation, one is referred to the 2-place hostel: 2 waiting, 1 free, 1 unmet."""
    hostel = make_service(name="Hostel", provider="Homeless Partnership", pathways=["accommodation"], capacity=2)
    make_service(name="Floating support", provider="Council", pathways=["accommodation"])  # unknown places
    cases = [make_case({"accommodation": "high"}) for _ in range(3)]
    make_case({"accommodation": "low"})  # low is not a need
    refer_to_service(case=cases[0], service=hostel, pathway="accommodation", by=partnership["offender_manager"])
    body = text(client_for("analyst").get("/services/gaps/"))
    # Need, referred, waiting, services (1 with unknown places), places, taken, free, unmet.
    assert "Accommodation 3 1 2 2 1 with unknown places 2 1 1 1 Unmet need (some places unknown)" in body
    assert "Floating support (Council) and Hostel (Homeless Partnership)" in body
    assert "how the service gaps are worked out" in body
    assert "Cases waiting for a service against free places, by pathway" in body  # the chart's title


def test_cases_not_yet_assessed_are_counted_apart(
    client_for: Callable[[str], Client], make_case: Callable[..., Case]
) -> None:
    unassessed = make_case({"accommodation": "high"})
    unassessed.assessments.all().delete()
    make_case({"accommodation": "high"})
    body = text(client_for("analyst").get("/services/gaps/"))
    assert "1 open case has no needs assessment yet and is not counted in the need below." in body
    assert "Accommodation 1 0 1" in body
