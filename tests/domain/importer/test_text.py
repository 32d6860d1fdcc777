# SPDX-License-Identifier: EUPL-1.2
"""Readers (.txt, .pdf, .docx), limits and text normalisation."""

from __future__ import annotations

from pathlib import Path

import pytest

from domain.importer import ImportFailure, import_path, normalize_text, parse_text, read_document
from domain.importer import text as text_module
from tests.domain.importer.builders import AGREEMENT_LINES, make_docx, make_pdf

# --- normalisation -------------------------------------------------------------------------------


def test_bullets_become_one_form() -> None:
    raw = "\uf0b7 Första\n● Andra\n• Tredje\n- Fjärde\n– Femte\n* Sjätte\n▪ Sjunde"
    assert normalize_text(raw).splitlines() == [
        "• Första",
        "• Andra",
        "• Tredje",
        "• Fjärde",
        "• Femte",
        "• Sjätte",
        "• Sjunde",
    ]


def test_spaces_line_ends_and_invisible_characters() -> None:
    raw = "1\u00a0275\u202f750 kronor\r\nrad två\u200b\rrad tre\ufeff\t\tslut  "
    assert normalize_text(raw) == "1 275 750 kronor\nrad två\nrad tre    slut"


def test_hyphenation_is_joined_but_suspended_compounds_are_kept() -> None:
    assert normalize_text("kultur-\ntolkar arbetar") == "kulturtolkar arbetar"
    assert normalize_text("kultur-  \n\ntolkar") == "kulturtolkar"
    assert normalize_text("fält- \noch grannskapsarbete") == "fält-\noch grannskapsarbete"
    assert normalize_text("ESF-\nprojektet") == "ESF-projektet"
    assert normalize_text("sam\u00adverkan och sam\u00ad\nverkan") == "samverkan och samverkan"


def test_page_artefacts_are_removed() -> None:
    raw = "Avtalet gäller.\nSida 3 av 12\n3 (12)\n- 4 -\nNästa stycke.\f"
    assert normalize_text(raw) == "Avtalet gäller.\n\nNästa stycke."


def test_normalisation_is_idempotent_on_seeds(fixtures_dir: Path) -> None:
    for path in (fixtures_dir / "seeds").glob("*.txt"):
        once = normalize_text(path.read_text(encoding="utf-8"))
        assert normalize_text(once) == once


def test_evidence_offsets_refer_to_normalised_text(fixtures_dir: Path) -> None:
    raw = (fixtures_dir / "seeds" / "003_f5943e2a5e3a359c.txt").read_text(encoding="utf-8")
    norm = normalize_text(raw)
    draft = parse_text(raw)
    assert draft["evidence"]
    for key, evidence in draft["evidence"].items():
        assert norm[evidence["start"] : evidence["end"]] == evidence["text"], key
    assert "SOCN-2025-00771" in draft["evidence"]["case_number"]["text"]
    assert "4 månaders uppsägningstid" in draft["evidence"]["notice_period_months"]["text"]


# --- .txt ----------------------------------------------------------------------------------------


def test_txt_with_bom_and_latin1(tmp_path: Path) -> None:
    bom = tmp_path / "bom.txt"
    bom.write_bytes("\ufeffÖverenskommelse om IOP".encode())
    assert read_document(bom) == "Överenskommelse om IOP"
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Överenskommelse för föreningen".encode("cp1252"))
    assert read_document(latin) == "Överenskommelse för föreningen"


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("tom.txt", b"", "importer.empty_file"),
        ("binar.txt", b"\x00\x01\x02abc", "importer.binary_text"),
        ("pdf-forklaedd.txt", b"%PDF-1.4 ...", "importer.txt_not_text"),
        ("recept.doc", b"whatever", "importer.legacy_doc"),
        ("bild.png", b"\x89PNG", "importer.unsupported_format"),
        ("utan-filandelse", b"text", "importer.unsupported_format"),
        ("trasig.pdf", b"%PDF-1.4\nnot really a pdf", "importer.pdf_unreadable"),
        ("fel.pdf", b"hello", "importer.invalid_pdf"),
        ("trasig.docx", b"PK\x03\x04garbage", "importer.docx_unopenable"),
        ("fel.docx", b"hello", "importer.invalid_docx"),
        ("blank.txt", b"   \n\n  ", "importer.no_text"),
    ],
)
def test_unreadable_files_fail_with_a_code_and_the_name(tmp_path: Path, name: str, content: bytes, code: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ImportFailure) as info:
        read_document(path)
    assert info.value.code == code
    assert info.value.params["name"] == name


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(ImportFailure) as info:
        read_document(tmp_path / "saknas.txt")
    assert (info.value.code, info.value.params) == ("importer.file_missing", {"name": "saknas.txt"})
    with pytest.raises(ImportFailure) as info:
        read_document(tmp_path)
    assert info.value.code == "importer.is_directory"


def test_size_limits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "stor.txt"
    big.write_text("Överenskommelse " * 100, encoding="utf-8")
    monkeypatch.setattr(text_module, "MAX_FILE_BYTES", 100)
    with pytest.raises(ImportFailure) as info:
        read_document(big)
    assert info.value.code == "importer.file_too_large"
    assert info.value.params == {"name": "stor.txt", "size_bytes": big.stat().st_size, "max_bytes": 100}
    monkeypatch.setattr(text_module, "MAX_FILE_BYTES", 20 * 1024 * 1024)
    monkeypatch.setattr(text_module, "MAX_TEXT_CHARS", 100)
    with pytest.raises(ImportFailure) as info:
        read_document(big)
    assert (info.value.code, info.value.params) == ("importer.too_much_text", {"name": "stor.txt", "max_chars": 100})


def test_parse_text_refuses_text_over_the_limit() -> None:
    with pytest.raises(ImportFailure) as info:
        parse_text("a" * (text_module.MAX_TEXT_CHARS + 1))
    assert info.value.code == "importer.text_too_long"


# --- .pdf ----------------------------------------------------------------------------------------


def test_pdf_with_text_layer_is_read_and_parsed(tmp_path: Path) -> None:
    path = tmp_path / "avtal.pdf"
    path.write_bytes(make_pdf([AGREEMENT_LINES[:12], AGREEMENT_LINES[12:]]))
    text = read_document(path)
    assert "Föreningen Trygga Kvarter" in text
    draft = import_path(path)
    assert draft["nonprofit_parties"] == [{"name": "Föreningen Trygga Kvarter", "org_number": "802412-3450"}]
    assert draft["public_parties"] == [{"name": "Socialnämnden Öster", "org_number": "212000-1413"}]
    assert draft["period"] == {"start": "2025-03-01", "end": "2026-02-28"}
    assert draft["notice_period_months"] == 2
    assert draft["annual_amount_sek"] == 600000
    assert draft["payment_schedule"] == {"frequency": "quarterly", "in_advance": True, "months": []}
    assert [b["amount_sek"] for b in draft["budget_lines"]] == [450000, 100000, 50000]
    assert [g["text"] for g in draft["goals"]] == [
        "Fler boende känner sig trygga i kvarteret.",
        "Fler unga deltar i fritidsaktiviteter.",
    ]
    assert draft["steering_group_min_meetings_per_year"] == 2


def test_pdf_without_text_layer_fails(tmp_path: Path) -> None:
    path = tmp_path / "inskannad.pdf"
    path.write_bytes(make_pdf([[]]))
    with pytest.raises(ImportFailure) as info:
        read_document(path)
    assert info.value.code == "importer.pdf_no_text_layer"


# --- .docx ---------------------------------------------------------------------------------------


def test_docx_paragraphs_lists_and_tables_in_document_order(tmp_path: Path) -> None:
    text = read_document(make_docx(tmp_path / "avtal.docx"))
    assert text.index("Parter") < text.index("Mål | Indikatorer") < text.index("Kostnadspost | Belopp")
    assert "Fler barn läser på fritiden | Antal utlånade böcker • Antal deltagare" in text
    assert "• Styrgruppen sammanträder minst tre gånger per år." in text


def test_docx_agreement_is_parsed(tmp_path: Path) -> None:
    draft = import_path(make_docx(tmp_path / "avtal.docx"))
    assert draft["case_number"] == "KFN-2025-00042"
    assert draft["public_parties"] == [{"name": "Kultur- och fritidsnämnden Centrum", "org_number": "212000-1181"}]
    assert draft["nonprofit_parties"] == [{"name": "Stiftelsen Läsfrämjarna", "org_number": "802519-8766"}]
    assert draft["period"] == {"start": "2025-09-01", "end": "2027-08-31"}
    assert draft["notice_period_months"] == 6
    assert draft["annual_amount_sek"] == 500000
    assert draft["payment_schedule"] == {"frequency": "semiannual", "in_advance": None, "months": [2, 8]}
    assert [(b["label"], b["amount_sek"]) for b in draft["budget_lines"]] == [
        ("Läsombud", 300000),
        ("Böcker och material", 150000),
        ("Lokaler", 50000),
    ]
    goals = draft["goals"]
    assert [g["text"] for g in goals] == ["Fler barn läser på fritiden", "Ökad samverkan med skolorna"]
    assert goals[0]["indicators"] == [
        {"text": "Antal utlånade böcker", "dimensions": [], "collected_by": ["Stiftelsen Läsfrämjarna"]},
        {
            "text": "Antal deltagare fördelat på kön och ålder",
            "dimensions": ["gender", "age"],
            "collected_by": ["Stiftelsen Läsfrämjarna"],
        },
    ]
    assert goals[1]["indicators"][0]["dimensions"] == ["school"]
    assert draft["steering_group_min_meetings_per_year"] == 3
    assert draft["steering_group_min_members_per_party"] == 2
