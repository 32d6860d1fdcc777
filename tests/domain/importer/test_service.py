# SPDX-License-Identifier: EUPL-1.2
"""One path → a draft or an ImportFailure (a code and parameters); a folder → one outcome per file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from domain.errors import DomainError
from domain.importer import ImportFailure, import_directory, import_path
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


@pytest.mark.parametrize(("name", "content"), [("recept.txt", RECIPE), ("faktura.txt", INVOICE), ("brus.txt", NOISE)])
def test_documents_without_an_agreement_fail(tmp_path: Path, name: str, content: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ImportFailure) as info:
        import_path(path)
    assert (info.value.code, info.value.params) == ("importer.not_an_agreement", {"name": name})
    assert isinstance(info.value, DomainError)


def test_import_path_raises_import_failure(tmp_path: Path) -> None:
    with pytest.raises(ImportFailure) as info:
        import_path(tmp_path / "saknas.pdf")
    assert info.value.code == "importer.file_missing"


def test_directory_keeps_going_after_a_failing_file(tmp_path: Path) -> None:
    (tmp_path / "a_avtal.txt").write_text(SEEDS[0].read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "b_recept.txt").write_text(RECIPE, encoding="utf-8")
    (tmp_path / "c_avtal.txt").write_text(SEEDS[1].read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "ignored.png").write_bytes(b"\x89PNG")
    results = list(import_directory(tmp_path))
    assert [p.name for p, _ in results] == ["a_avtal.txt", "b_recept.txt", "c_avtal.txt"]
    failure = results[1][1]
    assert isinstance(failure, ImportFailure) and failure.code == "importer.not_an_agreement"
    assert all(isinstance(r, dict) for _, r in (results[0], results[2]))


def test_a_file_is_not_a_folder(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    with pytest.raises(ImportFailure) as info:
        list(import_directory(tmp_path / "a.txt"))
    assert (info.value.code, info.value.params) == ("importer.not_a_folder", {"name": "a.txt"})


def test_importer_does_not_import_django() -> None:
    code = "import sys, domain.importer; domain.importer.parse_text('x'); print('django' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "False", done.stderr
