from __future__ import annotations

import pytest
from playwright.sync_api import expect

from openiom.demo import DEMO_PASSWORD
from tests.conftest import EMAIL_BY_PERSONA, PERSONAS


@pytest.mark.parametrize("persona", PERSONAS)
def test_persona_signs_in_sees_home_and_reaches_sections(visitor, partnership, persona: str) -> None:
    user = partnership[persona]
    visitor.goto("/")
    assert "/sign-in/" in visitor.page.url
    visitor.check("sign in")

    visitor.sign_in(EMAIL_BY_PERSONA[persona], DEMO_PASSWORD)
    page = visitor.page
    assert page.locator("h1").inner_text() == f"Welcome, {user.full_name}"
    identity = page.locator(".app-identity").inner_text()
    assert user.agency.name in identity
    assert user.roles.get().name in identity
    visitor.check("home")

    links = page.locator(".moj-primary-navigation__link")
    labels = [links.nth(i).inner_text() for i in range(links.count())]
    assert labels[0] == "Home"
    for label in labels[1:]:
        page.click(f".moj-primary-navigation__link:has-text('{label}')")
        assert page.locator(".moj-primary-navigation__link[aria-current='page']").inner_text() == label
        visitor.check(label)

    page.click("button:has-text('Sign out')")
    assert page.locator("h1").inner_text() == "You have signed out"
    visitor.check("signed out")


def test_wrong_password_shows_focused_error_summary(visitor) -> None:
    visitor.sign_in("analyst@openiom.test", "not-the-password")
    page = visitor.page
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    assert page.evaluate("document.activeElement.closest('.govuk-error-summary') !== null")
    assert page.input_value("#id_username") == "analyst@openiom.test"
    visitor.check("sign in error")
