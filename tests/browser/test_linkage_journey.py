from __future__ import annotations

from unittest import mock

from playwright.sync_api import expect

from openiom.demo import DEMO_PASSWORD
from openiom.people.models import PersonMerge, PersonRecord
from tests.imports.test_import import delivery, run
from tests.linkage.test_linking_service import PEOPLE, scores


def test_coordinator_reviews_a_possible_match_and_undoes_the_merge(visitor, partnership) -> None:
    run(delivery(**{"people.csv": PEOPLE, "custody.csv": None, "flags.csv": None}))
    p2 = PersonRecord.objects.get(source__code="police", source_person_id="P2")
    x2 = PersonRecord.objects.get(source__code="probation", source_person_id="X2")
    page = visitor.page
    visitor.sign_in("coordinator@openiom.test", DEMO_PASSWORD)
    with mock.patch("openiom.people.linking.predict_links", return_value=scores((p2, x2, 0.8))):
        page.goto(visitor.base_url + "/people/matches/")
        visitor.check("possible matches, empty")
        page.click("button:has-text('Run record linkage now')")
        page.wait_for_selector("text=See possible matches to review")
        visitor.check("linkage job")
    page.click("a:has-text('See possible matches to review')")
    visitor.check("possible matches")
    page.click("a:has-text('Decide')")
    visitor.check("decide a match")
    page.click("button:has-text('Record decision')")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    visitor.check("decide a match, error")
    page.check("label:has-text('Yes, the same person')")
    page.fill("#id_reason", "Same date of birth with day and month swapped; same address")
    page.click("button:has-text('Record decision')")
    assert "Your decision has been recorded" in page.locator(".govuk-notification-banner").inner_text()
    assert PersonRecord.objects.get(pk=p2.pk).person_id == PersonRecord.objects.get(pk=x2.pk).person_id
    page.click("a:has-text('See merges and undo them')")
    visitor.check("merges")
    page.click("button:has-text('Undo')")
    assert "undone" in page.locator(".govuk-notification-banner").inner_text()
    assert PersonMerge.objects.get().undone_at is not None
    visitor.check("merges, undone")
