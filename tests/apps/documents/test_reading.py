# SPDX-License-Identifier: EUPL-1.2
"""Reading an uploaded document as a task after the upload commits, in a separate bounded process.

The upload stores the file and a draft "being read" and queues the reading task on commit; the page shows
its progress until the draft is ready; the file is parsed in a child process with a memory and a CPU limit,
outside any transaction; hostile files (zip bombs, huge or deep XML, a PDF bomb) end as a clear failure in
the viewer's language within seconds while the asking process stays small.
"""

from __future__ import annotations

import resource
import time
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import translation

from apps.audit.models import AuditEvent
from apps.documents import reader, services
from apps.documents.models import ImportDraft
from domain.importer import ImportFailure
from tests.callbacks import queued_tasks

from . import hostile
from .conftest import RECIPE, seed_upload

HTMX = {"HTTP_HX_REQUEST": "true"}


def _post(client, orgs, file) -> Any:
    return client.post(reverse("documents:upload"), {"public_body": orgs["north"].pk, "file": file})


@pytest.mark.django_db
def test_the_upload_stores_the_file_and_queues_the_reading_for_after_the_commit(
    client, users, orgs, django_capture_on_commit_callbacks
) -> None:
    client.force_login(users["officer_north"])
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = _post(client, orgs, seed_upload())
    draft = ImportDraft.objects.get()
    assert len(queued_tasks(queued)) == 1, "the reading is queued once, to run after the upload has committed"
    assert draft.status == "reading" and draft.draft == {} and draft.file.read() == seed_upload().read()
    assert response.status_code == 302 and response["Location"] == draft.get_absolute_url()

    page = client.get(draft.get_absolute_url()).content.decode()
    assert "Dokumentet väntar på att läsas." in page and 'role="status"' in page
    assert f'hx-get="{reverse("documents:status", args=[draft.pk])}?phase=queued"' in page
    status_url = reverse("documents:status", args=[draft.pk])
    assert client.get(status_url + "?phase=queued", **HTMX).status_code == 204  # nothing new: no re-announcement

    queued_tasks(queued)[0]()  # the worker runs the task
    draft.refresh_from_db()
    assert draft.status == "pending" and draft.draft["case_number"] == "SOCN-2025-00771" and draft.read_at
    done = client.get(status_url + "?phase=queued", **HTMX)
    assert done.status_code == 204 and done["HX-Redirect"] == draft.get_absolute_url()
    assert client.get(status_url).status_code == 302  # without JavaScript: to the review
    assert "Skapa överenskommelsen" in client.get(draft.get_absolute_url()).content.decode()
    actions = list(AuditEvent.objects.filter(object_id=str(draft.pk)).values_list("action", flat=True))
    assert sorted(actions) == ["importdraft.read", "importdraft.uploaded"]


@pytest.mark.django_db(transaction=True)  # the upload really commits, so the immediate backend reads at once
def test_with_the_immediate_backend_the_upload_page_opens_the_review_or_says_why_not(client, users, orgs) -> None:
    client.force_login(users["officer_north"])
    opened = _post(client, orgs, seed_upload())
    draft = ImportDraft.objects.get()
    assert draft.status == "pending" and opened["Location"] == draft.get_absolute_url()
    refused = _post(client, orgs, SimpleUploadedFile("recept.txt", RECIPE))
    assert refused.status_code == 400
    assert "verkar inte innehålla någon överenskommelse" in refused.content.decode()
    failed = ImportDraft.objects.get(status="failed")
    assert failed.file.read() == RECIPE  # kept with its reason, among the failed imports
    assert failed.error_code == "importer.not_an_agreement"
    with translation.override("en"):
        assert "does not seem to contain an agreement" in failed.failure_text  # in the viewer's language
    listing = client.get(reverse("documents:list")).content.decode()
    assert "Kunde inte läsas" in listing and "verkar inte innehålla någon överenskommelse" in listing


@pytest.mark.django_db
def test_a_draft_being_read_can_be_stopped_and_a_late_or_repeated_reading_changes_nothing(users, orgs) -> None:
    draft = services.importdraft_upload(actor=users["officer_north"], public_body=orgs["north"], file=seed_upload())
    services.importdraft_reject(actor=users["officer_north"], draft=draft)
    assert services.importdraft_read(draft_id=draft.pk) == "rejected"
    draft.refresh_from_db()
    assert draft.status == "rejected" and draft.draft == {}

    again = services.importdraft_upload(actor=users["officer_north"], public_body=orgs["north"], file=seed_upload())
    assert services.importdraft_read(draft_id=again.pk) == "pending"
    assert services.importdraft_read(draft_id=again.pk) == "pending"  # a task delivered twice
    assert AuditEvent.objects.filter(action="importdraft.read", object_id=str(again.pk)).count() == 1
    assert services.importdraft_read(draft_id=10**9) == "missing"


@pytest.mark.django_db
def test_the_same_file_is_not_taken_again_while_it_is_being_read(users, orgs) -> None:
    services.importdraft_upload(actor=users["officer_north"], public_body=orgs["north"], file=seed_upload())
    with pytest.raises(services.AlreadyImported):
        services.importdraft_upload(actor=users["officer_north"], public_body=orgs["north"], file=seed_upload())


@pytest.mark.django_db(transaction=True)
def test_the_file_is_read_outside_any_transaction(monkeypatch, users, orgs) -> None:
    seen: list[bool] = []
    real = reader.read_bounded

    def watched(data, name, limits):
        seen.append(connection.in_atomic_block)
        return real(data, name, limits)

    monkeypatch.setattr(reader, "read_bounded", watched)
    draft = services.importdraft_upload(actor=users["officer_north"], public_body=orgs["north"], file=seed_upload())
    draft.refresh_from_db()  # the immediate backend ran the task when the upload committed
    assert draft.status == "pending" and seen == [False]


@pytest.mark.django_db(transaction=True)
def test_the_database_backend_queues_the_task_and_db_worker_reads_it(settings, users, orgs) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # production's backend
    from django_tasks_db.models import DBTaskResult

    draft = services.importdraft_upload(actor=users["officer_north"], public_body=orgs["north"], file=seed_upload())
    draft.refresh_from_db()
    assert draft.status == "reading"
    assert DBTaskResult.objects.filter(task_path="apps.documents.tasks.read_import_draft").count() == 1
    call_command("db_worker", "--batch", "--interval", "0", verbosity=0)
    draft.refresh_from_db()
    assert draft.status == "pending" and draft.draft["case_number"] == "SOCN-2025-00771"
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


# Hostile documents: refused in seconds, the asking process stays small ----------------------------------


LIMITS = reader.Limits(memory_mb=640, seconds=20)


def _refusal(name: str, data: bytes, limits: reader.Limits = LIMITS) -> tuple[str, float]:
    started = time.monotonic()
    with pytest.raises(ImportFailure) as failure:
        reader.read_bounded(data, name, limits)
    return failure.value.code, time.monotonic() - started


@pytest.mark.parametrize(
    ("name", "make", "code"),
    [
        ("bomb.docx", lambda: hostile.docx_zip_bomb(300), "importer.docx_too_large"),
        ("huge.docx", lambda: hostile.docx_huge_xml(60), "importer.docx_too_large"),
        ("deep.docx", lambda: hostile.docx_deep_xml(200_000), "importer.docx_too_large"),
        ("deep-small.docx", lambda: hostile.docx_deep_xml(20_000), "importer.docx_unreadable"),
        ("laughs.docx", hostile.docx_entity_expansion, "importer.docx_unreadable"),
        ("bomb.pdf", lambda: hostile.pdf_bomb(1200), "importer.too_much_memory"),
    ],
)
def test_hostile_documents_are_refused_quickly_without_growing_the_process_that_asked(name, make, code) -> None:
    data = make()
    assert len(data) < 2 * 1024 * 1024, "small on disk"
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    found, seconds = _refusal(name, data)
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert found == code
    assert seconds < LIMITS.seconds, "ended by a check or by a limit, never by waiting for the whole file"
    assert grown_mb < 50, f"the parent grew by {grown_mb:.0f} MB"


def test_a_child_that_uses_up_its_cpu_time_ends_as_too_slow() -> None:
    # A PDF whose content stream inflates to 600 MB fits in 2 GB but needs far more than one second of CPU.
    code, seconds = _refusal("slow.pdf", hostile.pdf_bomb(600), reader.Limits(memory_mb=2048, seconds=1))
    assert code == "importer.too_slow" and seconds < 10


@pytest.mark.django_db(transaction=True)
def test_a_hostile_upload_through_the_page_fails_with_a_swedish_reason(client, settings, users, orgs) -> None:
    settings.PARTNERSKAP_IMPORT_READER = {"memory_mb": 640, "seconds": 20}
    client.force_login(users["officer_north"])
    response = _post(client, orgs, SimpleUploadedFile("avtal.pdf", hostile.pdf_bomb(1200)))
    assert response.status_code == 400
    assert "kräver mer minne än tillåtet (640 MB)" in response.content.decode()
    assert ImportDraft.objects.get().status == "failed"


@pytest.mark.django_db
def test_a_reading_task_that_breaks_leaves_the_draft_failed_not_waiting_for_ever(monkeypatch, users, orgs) -> None:
    from apps.documents import tasks

    draft = services.importdraft_upload(actor=users["officer_north"], public_body=orgs["north"], file=seed_upload())

    def broken(data, name, limits):
        raise RuntimeError("a bug")

    monkeypatch.setattr(reader, "read_bounded", broken)
    with pytest.raises(RuntimeError):
        tasks.read_import_draft.call(draft.pk)
    draft.refresh_from_db()
    assert draft.status == "failed" and draft.error_code == "importer.internal_error"
    assert "internt fel (RuntimeError)" in draft.failure_text
