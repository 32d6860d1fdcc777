# SPDX-License-Identifier: EUPL-1.2
"""A case officer imports agreements: a non-agreement is refused; a document of a signed agreement is warned
about and not overwritten; a new one is reviewed beside the document, corrected and created hidden from
the partners; the same document imported again updates it instead of duplicating it; then it is shown."""

from pathlib import Path

from tests.browser.conftest import assert_accessible, log_in

SEEDS = Path(__file__).resolve().parents[1] / "domain" / "importer" / "fixtures" / "seeds"
TIDIGT = next(SEEDS.glob("003_*.txt"))
DECISION_REPORT = SEEDS.parent / "synthetic" / "syn_decision_report.txt"  # case number SN-2024-01234


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

    # The demo register already holds this agreement, and it is signed (active): the review warns, links to
    # it, and says a signed agreement changes only by amendment, so it offers no update from the document.
    by_hand = "Idéburet offentligt partnerskap med Tidigt föräldrastöd 2025-2028"
    assert page.get_by_role(
        "heading", name="Det finns redan en överenskommelse med diarienumret SOCN-2025-00771"
    ).is_visible()
    assert page.get_by_role("link", name=by_hand).is_visible()
    assert page.get_by_text("den är undertecknad och ändras därför bara genom en ändring").is_visible()
    assert page.get_by_role("button", name=f"Uppdatera ”{by_hand}”").count() == 0
    assert_accessible(page)
    page.get_by_role("button", name="Avvisa utkastet").click()
    page.get_by_text("Det importerade dokumentet har avvisats.").wait_for()

    # A document of an agreement not yet in the register becomes a new agreement, hidden from the partners
    # until the officer shows it; the original document stays with it.
    upload(page, DECISION_REPORT)
    title = page.get_by_role("region", name="Överenskommelsen").get_by_label("Titel")
    title.fill("IOP Mötesplats – importerad")
    page.get_by_role("button", name="Skapa överenskommelsen").click()
    page.get_by_role("heading", name="Visas inte för parterna").wait_for()
    assert page.get_by_text("Den visas inte för parterna förrän du väljer att visa den.").is_visible()
    assert page.locator("#documents").get_by_role("link", name=DECISION_REPORT.name).count() == 1
    assert_accessible(page)

    # The same document imported a second time: warned, and the agreement (still a draft) is updated from
    # it, not duplicated. The values the document states overwrite the agreement's.
    upload(page, DECISION_REPORT)
    assert page.get_by_role("link", name="IOP Mötesplats – importerad").is_visible()
    assert page.get_by_role("button", name="Skapa en ny överenskommelse ändå").is_visible()
    assert_accessible(page)
    page.get_by_label("Uppsägningstid (månader)").fill("3")
    page.get_by_role("button", name="Uppdatera ”IOP Mötesplats – importerad”").click()
    page.get_by_text("Överenskommelsen har uppdaterats från det importerade dokumentet.").wait_for()
    page.goto("/avtal/?q=SN-2024-01234")
    assert page.locator("main table tbody tr").count() == 1
    page.locator("main table tbody tr a").first.click()
    assert page.locator("#documents").get_by_role("link", name=DECISION_REPORT.name).count() == 2
    assert page.get_by_text("3 månader", exact=True).is_visible()
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


def test_a_document_read_by_the_task_worker_shows_its_progress_then_opens_the_review(page, demo, settings, tmp_path):
    """Production's queue: the upload answers at once, the page says the document waits to be read and asks
    again by itself (htmx); once the worker has read it, the review opens without the officer doing anything."""
    from django.core.management import call_command

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    log_in(page, "handlaggare")
    page.goto("/import/ladda-upp/")
    page.get_by_label("Offentlig organisation").select_option(label="Socialnämnden Nordost")
    page.get_by_label("Dokument").set_input_files(str(DECISION_REPORT))
    page.get_by_role("button", name="Läs in dokumentet").click()
    status = page.get_by_role("status").filter(has_text="Dokumentet väntar på att läsas.")
    status.wait_for()
    assert page.get_by_role("button", name="Avbryt och avvisa dokumentet").is_visible()
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, "the reading page reflows at 320 px"

    call_command("db_worker", "--batch", "--interval", "0", verbosity=0)
    page.get_by_role("heading", name="Granska importerat dokument").wait_for(timeout=10_000)
    assert page.get_by_label("Diarienummer").input_value() == "SN-2024-01234"
