# SPDX-License-Identifier: EUPL-1.2
"""A controller records an invoice on the payment plan and reads the portfolio; the pages pass axe-core."""

from tests.browser.conftest import assert_accessible, log_in


def test_controller_records_an_invoice_and_views_the_portfolio(page, demo):
    log_in(page, "controller")
    page.get_by_role("link", name="Idéburet offentligt partnerskap med Tidigt föräldrastöd 2025-2028").click()
    page.get_by_role("link", name="Ekonomi").click()
    page.get_by_role("heading", name="Betalplan").wait_for()
    assert page.get_by_text("4 040 000 kr").first.is_visible()
    assert page.get_by_text("(prognos)").first.is_visible()  # 2027 needs the October 2026 PKV value
    assert_accessible(page)

    page.get_by_role("link", name="2026-07-01 Socialnämnden Nordost").click()
    page.get_by_role("heading", name="Registrera betalning med förfallodag 2026-07-01").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Spara").click()  # no invoice number: a clear error, nothing saved
    page.locator("#error-summary").wait_for()
    assert "Ange fakturanumret" in page.locator("#error-summary").inner_text()
    assert_accessible(page)
    page.get_by_label("Fakturanummer").fill("F-2026-0701")
    page.get_by_role("button", name="Spara").click()
    page.get_by_role("heading", name="Betalplan").wait_for()
    row = page.get_by_role("row").filter(has_text="F-2026-0701")
    assert "Fakturerad" in row.inner_text()

    page.get_by_role("link", name="Portfölj").click()
    page.get_by_role("heading", name="Åtaganden", exact=True).wait_for()
    page.get_by_label("Från år").fill("2024")
    page.get_by_label("Till år").fill("2028")
    page.get_by_role("button", name="Visa").click()
    page.get_by_role("table", name="Åtaganden per år och partner, efter indexuppräkning").wait_for()
    assert page.get_by_role("img", name="Stapeldiagram över åtagandena per år för de största partnerna").is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Prisindex").click()
    assert page.get_by_text("Exempelvärde (inte en publicerad siffra)").first.is_visible()
    assert_accessible(page)
