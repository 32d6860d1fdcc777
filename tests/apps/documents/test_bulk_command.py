# SPDX-License-Identifier: EUPL-1.2
"""``import_agreement DIR --public-body ORG``: a folder becomes drafts awaiting review, failures are summarised.

Exit status: 0 when every file was imported, 1 when some failed, 2 when none could be imported or the
arguments are wrong. The single-file ``--json`` mode is covered by test_import_command.py.
"""

import shutil
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from apps.documents.models import ImportDraft

from .conftest import RECIPE, TIDIGT

pytestmark = pytest.mark.django_db


@pytest.fixture
def folder(tmp_path):
    folder = tmp_path / "avtal"
    folder.mkdir()
    shutil.copy(TIDIGT, folder / "a_tidigt.txt")
    (folder / "b_trasig.pdf").write_bytes(b"%PDF-1.4 trasig")
    (folder / "c_recept.txt").write_bytes(RECIPE)
    (folder / ".dold.txt").write_bytes(RECIPE)
    return folder


def run(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command("import_agreement", *map(str, args), stdout=out, stderr=err)
    except CommandError as exc:
        return exc.returncode, out.getvalue(), err.getvalue(), str(exc)
    return 0, out.getvalue(), err.getvalue(), ""


def test_folder_with_good_broken_and_non_agreement_files(folder, orgs, users):
    code, out, err, message = run(folder, "--public-body", orgs["north"].pk, "--user", "officer_north")
    assert code == 1 and out == ""
    assert "2 filer kunde inte importeras." in message
    pending = ImportDraft.objects.get(status="pending")
    assert pending.original_name == "a_tidigt.txt" and pending.uploaded_by == users["officer_north"]
    assert pending.draft["case_number"] == "SOCN-2025-00771"
    failed = {d.original_name: d.failure_text for d in ImportDraft.objects.filter(status="failed")}
    assert set(failed) == {"b_trasig.pdf", "c_recept.txt"}
    assert "verkar inte innehålla någon överenskommelse" in failed["c_recept.txt"]
    lines = err.splitlines()
    assert lines[0] == f"[1/3] a_tidigt.txt … klar ({pending.warning_count} varningar)"
    assert lines[1] == "[2/3] b_trasig.pdf … misslyckades"
    assert lines[2] == "[3/3] c_recept.txt … misslyckades"
    assert "Importerade 1 av 3 filer som utkast att granska." in err
    assert f"  - c_recept.txt: {failed['c_recept.txt']}" in err and "  - b_trasig.pdf: " in err
    assert f"  - a_tidigt.txt: {pending.warning_count} varningar" in err

    # Run again: the good file is skipped as already imported; failures are not recorded twice.
    code, _out, err, _message = run(folder, "--public-body", orgs["north"].pk, "--user", "officer_north")
    assert code == 1 and "hoppades över" in err.splitlines()[0]
    assert ImportDraft.objects.count() == 3


def test_all_good_exits_0_and_the_public_body_by_number_id_or_name(tmp_path, orgs):
    shutil.copy(TIDIGT, tmp_path / "tidigt.txt")
    code, _out, _err, message = run(tmp_path, "--public-body", "212000-1355")
    assert code == 2 and "Flera offentliga organisationer" in message  # a city's bodies share one number
    code, _out, _err, message = run(tmp_path, "--public-body", "999999")
    assert code == 2 and "Det finns ingen offentlig organisation 999999" in message
    assert not ImportDraft.objects.exists()
    code, _out, err, _message = run(tmp_path, "--public-body", "socialnämnden söder")
    assert code == 0 and "Importerade 1 av 1 filer" in err
    assert ImportDraft.objects.get().public_body == orgs["south"]
    code, _out, err, _message = run(tmp_path, "--public-body", orgs["south"].pk)
    assert code == 0 and "hoppades över" in err


def test_none_imported_exits_2(tmp_path, orgs):
    (tmp_path / "recept.txt").write_bytes(RECIPE)
    code, _out, _err, _message = run(tmp_path, "--public-body", orgs["north"].pk)
    assert code == 2
    assert not ImportDraft.objects.filter(status="pending").exists()


def test_a_user_who_is_not_case_officer_over_the_body_is_refused(folder, orgs, users):
    code, _out, _err, message = run(folder, "--public-body", orgs["south"].pk, "--user", "officer_north")
    assert code == 2 and "handläggare" in message
    assert not ImportDraft.objects.exists()
    code, _out, _err, message = run(folder, "--public-body", orgs["north"].pk, "--user", "okand")
    assert code == 2 and not ImportDraft.objects.exists()
