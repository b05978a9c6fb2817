"""The gaps calculation on a hand-made example whose answers were worked out by hand.

Services (capacity; live referrals by pathway; eligibility):
  Hostel              accommodation            10; A 8         aged 18+
  Women's house       accommodation             4; A 4         women only
  Floating support    accommodation        unknown; A 2         men only
  Recovery            drugs                     6; D 1         North only
  Young people's      drugs                     5; -           aged 10-17
  Care farm           drugs, ete                3; D 1, E 1    South, PPO only
  Adult drugs south   drugs                     2; D 3 (over)  South, 18+, men, HCC only
  Debt advice         finance              unknown; -
Needs (open cases with a medium or high need) and referred (of those, with a live referral):
  accommodation 12 / 10; drugs 20 / 4; ete 2 / 3 (more referrals than need: capped); health 3 / 0;
  finance 4 / 0.

Accommodation: places 10 + 4 = 14, taken 8 + 4 = 12, free 2 + 0 = 2, waiting 12 - 10 = 2, unmet 0;
  Floating support's unknown places are counted apart. Pairs for the same people: Floating
  support & Hostel (a man over 18), Hostel & Women's house (a woman over 18); not Floating
  support & Women's house (men only against women only).
Drugs: places 6 + 5 + 3 + 2 = 16, taken 1 + 0 + 1 + 3 = 5, free 5 + 5 + (3 - 2) + 0 = 11 (the
  care farm's E referral takes one of its places too; the over-full service has 0 free, not -1),
  waiting 20 - 4 = 16, unmet 16 - 11 = 5. Pairs: Care farm & Young people's, Recovery & Young
  people's; not the adult service with the young people's (18+ against 10-17), not North with
  South, not PPO-only with HCC-only.
ETE: the care farm alone: places 3, taken 1, free 1; referred 2 (capped), waiting 0, unmet 0.
Health: no services, unmet 3. Finance: only a service with unknown places, unmet 4.
"""

from __future__ import annotations

import pytest

from openiom.directory.gaps import ServiceOffer, overlap, service_gaps

PATHWAYS = [
    ("accommodation", "Accommodation"),
    ("drugs_alcohol", "Drugs and alcohol"),
    ("ete", "Education, training and employment"),
    ("health", "Health"),
    ("finance", "Finance, benefits and debt"),
]
HOSTEL = ServiceOffer(1, "Hostel", "P", ("accommodation",), 10, {"accommodation": 8}, min_age=18)
WOMEN = ServiceOffer(2, "Women's house", "P", ("accommodation",), 4, {"accommodation": 4}, gender="F")
FLOATING = ServiceOffer(3, "Floating support", "P", ("accommodation",), None, {"accommodation": 2}, gender="M")
RECOVERY = ServiceOffer(4, "Recovery", "P", ("drugs_alcohol",), 6, {"drugs_alcohol": 1}, area="North")
YOUNG = ServiceOffer(5, "Young people's", "P", ("drugs_alcohol",), 5, {}, min_age=10, max_age=17)
FARM = ServiceOffer(
    6, "Care farm", "P", ("drugs_alcohol", "ete"), 3, {"drugs_alcohol": 1, "ete": 1}, area="South", cohorts=("PPO",)
)
ADULT = ServiceOffer(
    7, "Adult drugs south", "P", ("drugs_alcohol",), 2, {"drugs_alcohol": 3},
    area="south", min_age=18, gender="M", cohorts=("HCC",),
)  # fmt: skip
DEBT = ServiceOffer(8, "Debt advice", "P", ("finance",), None)
SERVICES = [HOSTEL, WOMEN, FLOATING, RECOVERY, YOUNG, FARM, ADULT, DEBT]
NEEDS = {"accommodation": 12, "drugs_alcohol": 20, "ete": 2, "health": 3, "finance": 4}
SERVED = {"accommodation": 10, "drugs_alcohol": 4, "ete": 3}


@pytest.fixture
def gaps() -> dict[str, object]:
    return {row.pathway: row for row in service_gaps(PATHWAYS, NEEDS, SERVED, SERVICES)}


def figures(row: object) -> tuple[int, ...]:
    r = row
    return (r.need, r.served, r.waiting, len(r.services), r.places, r.taken, r.free, r.unmet)  # type: ignore[attr-defined]


def test_rows_come_in_the_pathways_order() -> None:
    assert [r.pathway for r in service_gaps(PATHWAYS, NEEDS, SERVED, SERVICES)] == [p for p, _ in PATHWAYS]


def test_accommodation_met_by_free_places_with_unknown_capacity_counted_apart(gaps: dict) -> None:
    row = gaps["accommodation"]
    assert figures(row) == (12, 10, 2, 3, 14, 12, 2, 0)
    assert row.unknown_capacity == (FLOATING,)
    assert not row.has_unmet_need
    assert row.verdict == "Need met by free places"


def test_drugs_has_unmet_need_and_full_services_count_no_negative_places(gaps: dict) -> None:
    row = gaps["drugs_alcohol"]
    assert figures(row) == (20, 4, 16, 4, 16, 5, 11, 5)
    assert row.has_unmet_need
    assert row.verdict == "Unmet need"


def test_a_place_taken_for_one_pathway_is_not_free_for_another(gaps: dict) -> None:
    assert figures(gaps["ete"]) == (2, 2, 0, 1, 3, 1, 1, 0)


def test_no_services_and_unknown_places_are_said_differently(gaps: dict) -> None:
    assert figures(gaps["health"]) == (3, 0, 3, 0, 0, 0, 0, 3)
    assert gaps["health"].verdict == "Unmet need: no services"
    assert figures(gaps["finance"]) == (4, 0, 4, 1, 0, 0, 0, 4)
    assert gaps["finance"].verdict == "Unmet need (some places unknown)"


def test_duplicated_provision_lists_the_pairs_for_the_same_people(gaps: dict) -> None:
    assert gaps["accommodation"].duplicates == ((FLOATING, HOSTEL), (HOSTEL, WOMEN))
    assert gaps["drugs_alcohol"].duplicates == ((FARM, YOUNG), (RECOVERY, YOUNG))
    assert not gaps["ete"].has_duplication
    assert not gaps["health"].has_duplication


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (ServiceOffer(1, "a", "p", ()), ServiceOffer(2, "b", "p", ()), True),
        (ServiceOffer(1, "a", "p", (), max_age=18), ServiceOffer(2, "b", "p", (), min_age=18), True),
        (ServiceOffer(1, "a", "p", (), max_age=17), ServiceOffer(2, "b", "p", (), min_age=18), False),
        (ServiceOffer(1, "a", "p", (), area="North"), ServiceOffer(2, "b", "p", (), area=" north".strip()), True),
        (ServiceOffer(1, "a", "p", (), area="North"), ServiceOffer(2, "b", "p", (), area="South"), False),
        (ServiceOffer(1, "a", "p", (), area="North"), ServiceOffer(2, "b", "p", ()), True),
        (ServiceOffer(1, "a", "p", (), gender="F"), ServiceOffer(2, "b", "p", (), gender="M"), False),
        (ServiceOffer(1, "a", "p", (), gender="F"), ServiceOffer(2, "b", "p", (), gender="F"), True),
        (ServiceOffer(1, "a", "p", (), cohorts=("PPO", "DIP")), ServiceOffer(2, "b", "p", (), cohorts=("DIP",)), True),
        (ServiceOffer(1, "a", "p", (), cohorts=("PPO",)), ServiceOffer(2, "b", "p", (), cohorts=("DYO",)), False),
    ],
)
def test_overlap_needs_area_age_gender_and_cohort_to_overlap(a: ServiceOffer, b: ServiceOffer, expected: bool) -> None:
    assert overlap(a, b) is expected
    assert overlap(b, a) is expected
