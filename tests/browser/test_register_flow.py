# SPDX-License-Identifier: EUPL-1.2
"""A case officer logs in, searches, opens an agreement and edits it; every page passes axe-core."""

from tests.browser.conftest import assert_accessible, log_in


def test_case_officer_searches_opens_and_edits(page, demo):
    page.goto("/logga-in/")
    assert_accessible(page)
    log_in(page, "handlaggare")
    assert page.get_by_role("heading", name="Överenskommelser").is_visible()
    assert_accessible(page)

    page.get_by_label("Sök", exact=True).fill("802473-9412")
    page.get_by_role("button", name="Sök").click()
    page.get_by_text("1 överenskommelse").wait_for()
    page.get_by_role("link", name="Idéburet offentligt partnerskap med Tidigt föräldrastöd 2025-2028").click()
    page.get_by_role("heading", name="Idéburet offentligt partnerskap med Tidigt föräldrastöd 2025-2028").wait_for()
    assert page.get_by_text("SOCN-2025-00771").first.is_visible()
    assert page.get_by_role("heading", name="Del 1 – Kulturtolkar i Angered").is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Redigera", exact=True).click()
    page.get_by_role("heading", name="Redigera överenskommelse").wait_for()
    assert_accessible(page)

    # A bad value is answered with a clear error and changes nothing.
    page.get_by_label("Slutdatum").fill("2024-01-01")
    page.get_by_role("button", name="Spara ändringar").click()
    summary = page.locator("#error-summary")
    summary.wait_for()
    assert "Slutdatum kan inte vara före startdatum" in summary.inner_text()
    assert_accessible(page)

    page.get_by_label("Slutdatum").fill("2028-07-01")
    page.get_by_role("textbox", name="Titel (obligatoriskt)").fill("IOP Tidigt föräldrastöd 2025–2028")
    page.get_by_role("button", name="Spara ändringar").click()
    page.get_by_role("heading", name="IOP Tidigt föräldrastöd 2025–2028").wait_for()
    assert page.get_by_text("Ändringarna har sparats.").is_visible()

    page.get_by_role("link", name="Historik").click()
    page.get_by_role("heading", name="Historik").wait_for()
    assert page.get_by_text("IOP Tidigt föräldrastöd 2025–2028").first.is_visible()
    assert_accessible(page)


def test_new_agreement_form_and_organisation_register_are_accessible(page, demo):
    log_in(page, "handlaggare")
    page.goto("/avtal/ny/")
    page.get_by_role("heading", name="Registrera överenskommelse").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Registrera överenskommelse").click()
    page.locator("#error-summary").wait_for()
    assert_accessible(page)
    page.goto("/organisationer/")
    assert_accessible(page)


def test_partner_sees_only_their_agreement(page, demo):
    log_in(page, "partner-skyddsvarnet")
    assert page.get_by_text("1 överenskommelse").is_visible()
    assert page.get_by_role("link", name="Registrera överenskommelse").count() == 0
    page.get_by_role("link", name="Skyddsvärnet").first.click()
    assert page.get_by_role("link", name="Redigera", exact=True).count() == 0
    assert_accessible(page)
