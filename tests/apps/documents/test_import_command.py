# SPDX-License-Identifier: EUPL-1.2
"""``manage.py import_agreement PATH --json``: the contract of shared/import/CONTRACT.md.

One JSON draft on stdout and exit 0; a failure → a Swedish message on stderr, nothing on stdout, exit 2.
The draft's warnings are sentences in the product's language, their codes beside them in warning_details.
"""

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from domain.importer.draft import CONTRACT_KEYS

FIXTURES = Path(__file__).resolve().parents[2] / "domain" / "importer" / "fixtures" / "seeds"
SEEDS = sorted(FIXTURES.glob("*.txt"))
ROOT = Path(__file__).resolve().parents[3]
RECIPE = "Kanelbullar\n\nIngredienser\n25 g jäst\n100 g smör\nGrädda i 250 grader i 8 minuter.\n"


def run(*args):
    return subprocess.run(
        [sys.executable, "manage.py", "import_agreement", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin", "DJANGO_SETTINGS_MODULE": "partnerskap.settings.test"},
    )


def call(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command("import_agreement", *map(str, args), stdout=out, stderr=err)
    except CommandError as exc:
        return exc.returncode, out.getvalue(), err.getvalue(), str(exc)
    return 0, out.getvalue(), err.getvalue(), ""


def test_prints_one_draft_and_exits_0():
    seed = next(FIXTURES.glob("003_*.txt"))
    result = run(str(seed), "--json")
    assert result.returncode == 0, result.stderr
    draft = json.loads(result.stdout)
    assert draft["format"] == "partnerskap.agreement-draft/1"
    assert draft["case_number"] == "SOCN-2025-00771"
    assert "Organisationsnummer saknas för Socialnämnden Nordost." in draft["warnings"]
    assert result.stderr == ""


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_every_contract_key_and_warnings_as_swedish_sentences_with_their_codes(path):
    code, out, err, _message = call(path, "--json")
    assert (code, err) == (0, "")
    draft = json.loads(out)
    assert all(key in draft for key in CONTRACT_KEYS) and "evidence" in draft
    assert all(isinstance(w, str) and w for w in draft["warnings"])
    details = draft["warning_details"]
    assert [d["message"] for d in details] == draft["warnings"]
    assert all(d["code"].startswith("importer.warning.") and isinstance(d["params"], dict) for d in details)


def test_warnings_are_swedish_even_when_the_caller_is_in_english():
    with translation.override("en"):
        code, out, _err, _message = call(next(FIXTURES.glob("003_*.txt")), "--json", "--no-evidence")
    draft = json.loads(out)
    assert code == 0 and "evidence" not in draft
    assert "Delar av beloppet faktureras separat (särfaktureras); kontrollera betalningsplanen." in draft["warnings"]


def test_missing_and_non_agreement_files_exit_2_with_a_message(tmp_path):
    recipe = tmp_path / "recept.txt"
    recipe.write_text("Pannkakor: 3 dl mjöl, 6 dl mjölk, 3 ägg. Stek i smör.", encoding="utf-8")
    for path, message in (
        (tmp_path / "saknas.txt", "Filen saknas.txt finns inte."),
        (recipe, "Filen recept.txt verkar inte innehålla någon överenskommelse"),
    ):
        result = run(str(path), "--json")
        assert result.returncode == 2
        assert result.stdout == ""
        assert message in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("tom.txt", b"", "Filen tom.txt är tom."),
        ("bild.png", b"\x89PNG", "Filformatet (.png) för bild.png stöds inte."),
        ("utan", b"text", "Filen utan saknar filändelse."),
        ("trasig.pdf", b"%PDF-1.4 trasig", "PDF-filen trasig.pdf kunde inte öppnas"),
        ("gammal.doc", b"x", "äldre Word-formatet .doc"),
    ],
)
def test_unreadable_files_exit_2(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    code, out, _err, text = call(path, "--json")
    assert (code, out) == (2, "")
    assert message in text


def test_a_folder_keeps_going_after_a_failing_file(tmp_path):
    (tmp_path / "a_avtal.txt").write_text(SEEDS[0].read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "b_recept.txt").write_text(RECIPE, encoding="utf-8")
    (tmp_path / "ignored.png").write_bytes(b"\x89PNG")
    code, out, err, message = call(tmp_path, "--json", "--no-evidence")
    assert code == 1 and message == "1 fil kunde inte importeras."
    listed = json.loads(out)
    assert [(Path(item["path"]).name, item["ok"]) for item in listed] == [
        ("a_avtal.txt", True),
        ("b_recept.txt", False),
    ]
    assert listed[1]["code"] == "importer.not_an_agreement"
    assert listed[1]["error"] in err and "verkar inte innehålla" in listed[1]["error"]


def test_an_empty_folder_exits_2(tmp_path):
    code, out, _err, message = call(tmp_path)
    assert (code, out) == (2, "")
    assert message == f"Mappen {tmp_path.name} innehåller inga .txt-, .pdf- eller .docx-filer."
