"""A case officer imports an existing agreement: upload, review beside the document, correct, create."""

from pathlib import Path

from tests.browser.conftest import assert_accessible, log_in

SEEDS = Path(__file__).resolve().parents[1] / "domain" / "importer" / "fixtures" / "seeds"
TIDIGT = next(SEEDS.glob("003_*.txt"))


def test_case_officer_imports_reviews_and_creates_an_agreement(page, demo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    log_in(page, "handlaggare")
    page.get_by_role("link", name="Importera", exact=True).click()
    page.get_by_role("heading", name="Importera överenskommelser").wait_for()
    page.get_by_role("link", name="Ladda upp ett dokument").click()
    page.get_by_role("heading", name="Ladda upp ett dokument").wait_for()
    assert_accessible(page)

    # A file that holds no agreement: a clear error, and nothing is stored.
    recipe = tmp_path / "recept.txt"
    recipe.write_text("Pannkakor: 3 dl mjöl, 6 dl mjölk, 3 ägg. Stek i smör.", encoding="utf-8")
    page.get_by_label("Offentlig organisation").select_option(label="Socialnämnden Nordost")
    page.get_by_label("Dokument").set_input_files(str(recipe))
    page.get_by_role("button", name="Läs in dokumentet").click()
    summary = page.locator("#error-summary")
    summary.wait_for()
    assert "verkar inte innehålla någon överenskommelse" in summary.inner_text()
    assert_accessible(page)

    page.get_by_label("Offentlig organisation").select_option(label="Socialnämnden Nordost")
    page.get_by_label("Dokument").set_input_files(str(TIDIGT))
    page.get_by_role("button", name="Läs in dokumentet").click()
    page.get_by_role("heading", name="Granska importerat dokument").wait_for()
    assert page.get_by_text("Dokumentet har lästs in.").is_visible()
    # The value beside the passage it came from, and the proposed party matches.
    assert page.get_by_label("Diarienummer").input_value() == "SOCN-2025-00771"
    assert page.locator("mark", has_text="Ärendenummer SOCN-2025-00771").is_visible()
    assert page.get_by_label("Organisation i registret").first.input_value() != "new"
    assert_accessible(page)

    title = page.get_by_role("region", name="Överenskommelsen").get_by_label("Titel")
    title.fill("IOP Tidigt föräldrastöd – importerad")
    page.get_by_role("button", name="Skapa överenskommelsen").click()
    page.get_by_role("heading", name="IOP Tidigt föräldrastöd – importerad").wait_for()
    assert page.get_by_text("Överenskommelsen har skapats från det importerade dokumentet.").is_visible()
    assert page.get_by_text("SOCN-2025-00771").first.is_visible()
    assert page.get_by_role("heading", name="Del 1").first.is_visible()
    assert_accessible(page)
