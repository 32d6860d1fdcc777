"""A case officer imports an existing agreement: upload, review beside the document, correct, create; imports
the same document again and updates the agreement instead of duplicating it; shows it to the partners."""

from pathlib import Path

from tests.browser.conftest import assert_accessible, log_in

SEEDS = Path(__file__).resolve().parents[1] / "domain" / "importer" / "fixtures" / "seeds"
TIDIGT = next(SEEDS.glob("003_*.txt"))
SKYDDSVARNET = next(SEEDS.glob("002_*.txt"))


def test_case_officer_imports_reviews_updates_and_creates_agreements(page, demo, settings, tmp_path):
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

    # The demo register already holds this agreement, registered by hand: the review warns, links to it and
    # offers to update it from the document instead of registering it twice.
    by_hand = "Idéburet offentligt partnerskap med Tidigt föräldrastöd 2025-2028"
    assert page.get_by_role("heading", name="Det finns redan en överenskommelse med diarienumret SOCN-2025-00771"
                            ).is_visible()
    assert page.get_by_role("link", name=by_hand).is_visible()
    assert page.get_by_role("button", name="Skapa en ny överenskommelse ändå").is_visible()
    assert_accessible(page)

    title = page.get_by_role("region", name="Överenskommelsen").get_by_label("Titel")
    title.fill("IOP Tidigt föräldrastöd – importerad")
    page.get_by_role("button", name=f"Uppdatera ”{by_hand}”").click()
    page.get_by_role("heading", name="IOP Tidigt föräldrastöd – importerad").wait_for()
    assert page.get_by_text("Överenskommelsen har uppdaterats från det importerade dokumentet.").is_visible()
    assert page.get_by_text("SOCN-2025-00771").first.is_visible()
    assert page.get_by_role("heading", name="Del 1").first.is_visible()
    # The original document stays with the agreement, downloadable from its page.
    assert page.locator("#documents").get_by_role("link", name=TIDIGT.name).count() == 1
    assert_accessible(page)

    # The same document imported a second time: warned again, and updated again, not duplicated. The values
    # the document states overwrite the agreement's (the title the officer corrected comes back as written).
    upload(page, TIDIGT)
    assert page.get_by_role("link", name="IOP Tidigt föräldrastöd – importerad").is_visible()
    page.get_by_label("Uppsägningstid (månader)").fill("3")
    page.get_by_role("button", name="Uppdatera ”IOP Tidigt föräldrastöd – importerad”").click()
    page.get_by_role("heading", name=by_hand).wait_for()
    assert page.get_by_text("Överenskommelsen har uppdaterats från det importerade dokumentet.").is_visible()
    assert page.locator("#documents").get_by_role("link", name=TIDIGT.name).count() == 2
    assert page.get_by_text("3 månader", exact=True).is_visible()
    assert_accessible(page)
    page.goto("/avtal/?q=SOCN-2025-00771")
    assert page.locator("main table tbody tr").count() == 1

    # A document of an agreement not yet in the register becomes a new agreement, hidden from the partners
    # until the officer shows it.
    upload(page, SKYDDSVARNET)
    page.get_by_role("button", name="Skapa överenskommelsen").click()
    page.get_by_role("heading", name="Visas inte för parterna").wait_for()
    assert page.get_by_text("Den visas inte för parterna förrän du väljer att visa den.").is_visible()
    assert page.locator("#documents").get_by_role("link", name=SKYDDSVARNET.name).is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Visa för parterna").click()
    page.get_by_text("Överenskommelsen visas nu för parterna.").wait_for()
    assert page.get_by_role("heading", name="Visas inte för parterna").count() == 0
    assert_accessible(page)


def upload(page, path: Path) -> None:
    """Upload a document from the import list and wait for its review page."""
    page.get_by_role("link", name="Importera", exact=True).click()
    page.get_by_role("link", name="Ladda upp ett dokument").click()
    page.get_by_label("Offentlig organisation").select_option(label="Socialnämnden Nordost")
    page.get_by_label("Dokument").set_input_files(str(path))
    page.get_by_role("button", name="Läs in dokumentet").click()
    page.get_by_role("heading", name="Granska importerat dokument").wait_for()
