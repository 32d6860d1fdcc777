"""The command contract: PATH --json → one JSON draft, exit 0; failures → Swedish on stderr, exit 2."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from domain.importer import ImportFailure, import_directory, import_path
from domain.importer.cli import main
from domain.importer.draft import CONTRACT_KEYS
from tests.domain.importer.conftest import SEEDS

ROOT = Path(__file__).resolve().parents[3]

RECIPE = """Kanelbullar

Ingredienser
25 g jäst
100 g smör
3 dl mjölk
Gör så här: smält smöret, värm mjölken till 37 grader och rör ut jästen. Grädda i 250 grader i 8 minuter.
"""
INVOICE = """FAKTURA
Fakturanummer 10234
Fakturadatum 2025-03-01
Förfallodatum 2025-03-31
Att betala: 12 500 kr
Bankgiro 123-4567. Moms 25 % ingår med 2 500 kr.
"""
NOISE = "lorem ipsum dolor sit amet 12 34 56 qwerty asdf " * 40


def run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_file_prints_one_json_draft(path: Path) -> None:
    code, out, err = run([str(path), "--json"])
    assert code == 0 and err == ""
    draft = json.loads(out)
    assert all(key in draft for key in CONTRACT_KEYS)
    assert draft["format"] == "partnerskap.agreement-draft/1"
    assert "evidence" in draft


def test_no_evidence_option(tmp_path: Path) -> None:
    code, out, _ = run([str(SEEDS[0]), "--json", "--no-evidence"])
    assert code == 0 and "evidence" not in json.loads(out)


@pytest.mark.parametrize(("name", "content"), [("recept.txt", RECIPE), ("faktura.txt", INVOICE), ("brus.txt", NOISE)])
def test_documents_without_an_agreement_fail(tmp_path: Path, name: str, content: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    code, out, err = run([str(path), "--json"])
    assert code == 2 and out == ""
    assert "verkar inte innehålla någon överenskommelse" in err


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [("saknas.txt", None, "finns inte"), ("tom.txt", b"", "är tom"), ("bild.png", b"\x89PNG", "stöds inte"),
     ("trasig.pdf", b"%PDF-1.4 trasig", "PDF-filen")],
)
def test_unreadable_files_exit_2(tmp_path: Path, name: str, content: bytes | None, message: str) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    code, out, err = run([str(path), "--json"])
    assert (code, out) == (2, "")
    assert message in err


def test_bad_arguments_exit_2() -> None:
    code, out, err = run([])
    assert (code, out) == (2, "") and "argument" in err


def test_directory_keeps_going_after_a_failing_file(tmp_path: Path) -> None:
    (tmp_path / "a_avtal.txt").write_text(SEEDS[0].read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "b_recept.txt").write_text(RECIPE, encoding="utf-8")
    (tmp_path / "c_avtal.txt").write_text(SEEDS[1].read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "ignored.png").write_bytes(b"\x89PNG")
    results = list(import_directory(tmp_path))
    assert [p.name for p, _ in results] == ["a_avtal.txt", "b_recept.txt", "c_avtal.txt"]
    assert isinstance(results[1][1], ImportFailure)
    assert all(isinstance(r, dict) for _, r in (results[0], results[2]))
    code, out, err = run([str(tmp_path), "--json"])
    assert code == 1
    listed = json.loads(out)
    assert [item["ok"] for item in listed] == [True, False, True]
    assert "b_recept.txt" in err or "verkar inte" in err


def test_empty_directory(tmp_path: Path) -> None:
    code, out, err = run([str(tmp_path)])
    assert (code, out) == (2, "") and "inga" in err


def test_import_path_raises_import_failure(tmp_path: Path) -> None:
    with pytest.raises(ImportFailure):
        import_path(tmp_path / "saknas.pdf")


def test_python_dash_m_entry_point() -> None:
    done = subprocess.run([sys.executable, "-m", "domain.importer", str(SEEDS[1]), "--json"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["total_amount_sek"] == 1275750
    failed = subprocess.run([sys.executable, "-m", "domain.importer", "saknas.txt", "--json"], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert failed.returncode == 2 and failed.stdout == "" and "finns inte" in failed.stderr


def test_importer_does_not_import_django() -> None:
    code = "import sys, domain.importer; domain.importer.parse_text('x'); print('django' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "False", done.stderr
