from __future__ import annotations

from playwright.sync_api import expect

from openiom.accounts.models import Agency, User
from openiom.demo import DEMO_PASSWORD


def test_administrator_manages_agencies_users_and_reads_the_audit_trail(visitor, partnership) -> None:
    page = visitor.page
    visitor.sign_in("admin@openiom.test", DEMO_PASSWORD)
    page.click(".moj-primary-navigation__link:has-text('Administration')")
    visitor.check("administration")

    page.click("a:has-text('Agencies')")
    visitor.check("agencies")
    page.click("a:has-text('Add an agency')")
    visitor.check("add agency")
    page.fill("#id_name", "Riverside Children's Services")
    page.click("button:has-text('Save')")  # no code, no type: errors, typed name kept
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert page.input_value("#id_name") == "Riverside Children's Services"
    visitor.check("add agency errors")
    page.fill("#id_code", "childrens")
    page.select_option("#id_agency_type", "children_services")
    page.click("button:has-text('Save')")
    assert "has been saved" in page.locator(".govuk-notification-banner").inner_text()
    assert Agency.objects.filter(code="childrens").exists()

    page.goto(visitor.base_url + "/administration/users/add/")
    visitor.check("add user")
    page.fill("#id_email", "social.worker@openiom.test")
    page.fill("#id_full_name", "Sol Worker")
    page.select_option("#id_agency", label="Riverside Children's Services")
    page.check("label:has-text('Partner practitioner')")
    page.fill("#id_password", "a-sufficiently-long-passphrase")
    page.click("button:has-text('Save')")
    assert page.locator("h1").inner_text() == "Sol Worker"
    visitor.check("user detail")
    assert User.objects.get(email="social.worker@openiom.test").agency.code == "childrens"

    page.goto(visitor.base_url + "/administration/roles/")
    visitor.check("roles")
    page.goto(visitor.base_url + "/administration/audit/")
    visitor.check("audit trail")
    assert "Sol Worker" in page.locator("table").inner_text()

    page.click("button:has-text('Export these entries as CSV')")
    page.wait_for_selector("text=Download")
    visitor.check("export job")
    with page.expect_download() as download:
        page.click("a:has-text('Download')")
    assert download.value.suggested_filename.startswith("audit-trail-")


def test_account_page_and_two_factor_setup_are_accessible(visitor) -> None:
    page = visitor.page
    visitor.sign_in("offender.manager@openiom.test", DEMO_PASSWORD)
    page.click("a:has-text('(your account)')")
    visitor.check("account")
    page.fill("#id_name", "Case system")
    page.click("button:has-text('Create token')")
    assert page.locator("#new-token").inner_text().startswith("oiom_")
    visitor.check("token created")
    page.goto(visitor.base_url + "/account/two-factor/setup/")
    expect(page.locator(".app-qr svg")).to_be_visible()
    visitor.check("two-factor setup")
