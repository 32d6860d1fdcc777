# SPDX-License-Identifier: EUPL-1.2
"""Build small .pdf and .docx agreements inside tests (no binary fixtures in the repository)."""

from __future__ import annotations

from pathlib import Path

AGREEMENT_LINES = [
    "Överenskommelse om idéburet offentligt partnerskap",
    "",
    "Parter",
    "Socialnämnden Öster, organisationsnummer 212000-1413",
    "Föreningen Trygga Kvarter, organisationsnummer 802412-3450",
    "",
    "Avtalstid",
    "Avtalet gäller 2025-03-01 till och med 2026-02-28.",
    "Uppsägningstiden är två månader.",
    "",
    "Ekonomi",
    "Föreningen ersätts med 600 000 kronor per år. Utbetalning sker",
    "kvartalsvis i förskott.",
    "",
    "Kostnadspost Belopp",
    "Personal 450 000 kr",
    "Lokal 100 000 kr",
    "Material 50 000 kr",
    "Summa 600 000 kr",
    "",
    "Mål",
    "– Fler boende känner sig trygga i kvarteret.",
    "– Fler unga deltar i fritidsaktiviteter.",
    "",
    "Styrgruppen möts två gånger per år.",
]


def _pdf_escape(text: str) -> bytes:
    data = text.encode("cp1252")
    return data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def make_pdf(pages: list[list[str]]) -> bytes:
    """A minimal PDF with a real text layer (Helvetica, WinAnsi encoding), one list of lines per page."""
    objects: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(len(pages)))
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode())
    font_ref = 3 + 2 * len(pages)
    for i, lines in enumerate(pages):
        content = b"BT /F1 10 Tf 13 TL 50 800 Td " + b" ".join(b"(" + _pdf_escape(line) + b") Tj T*" for line in lines)
        content += b" ET"
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 {font_ref} 0 R >> >> "
            f"/Contents {4 + 2 * i} 0 R >>".encode()
        )
        objects.append(b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def make_docx(path: Path) -> Path:
    """A Word agreement with list paragraphs, a goal table and a budget table."""
    import docx

    document = docx.Document()
    document.add_heading("Överenskommelse om idéburet offentligt partnerskap", level=1)
    document.add_paragraph("Diarienummer: KFN-2025-00042")
    document.add_heading("Parter", level=2)
    document.add_paragraph(
        "Överenskommelsen ingås mellan Kultur- och fritidsnämnden Centrum (organisationsnummer 212000-1181) "
        "och Stiftelsen Läsfrämjarna (organisationsnummer 802519-8766)."
    )
    document.add_heading("Avtalstid", level=2)
    document.add_paragraph("Överenskommelsen gäller från och med 1 september 2025 till och med 31 augusti 2027.")
    document.add_paragraph("Uppsägningstiden är sex månader.")
    document.add_heading("Mål och indikatorer", level=2)
    table = document.add_table(rows=1, cols=3)
    for cell, text in zip(table.rows[0].cells, ("Mål", "Indikatorer", "Ansvar för insamling av data"), strict=True):
        cell.text = text
    rows = [
        (
            "Fler barn läser på fritiden",
            ["Antal utlånade böcker", "Antal deltagare fördelat på kön och ålder"],
            "Stiftelsen Läsfrämjarna",
        ),
        ("Ökad samverkan med skolorna", ["Antal samarbeten per skola"], "Kultur- och fritidsnämnden Centrum"),
    ]
    for goal, indicators, collector in rows:
        cells = table.add_row().cells
        cells[0].text = goal
        cells[1].text = indicators[0]
        for extra in indicators[1:]:
            cells[1].add_paragraph(extra)
        cells[2].text = collector
    document.add_heading("Ekonomi", level=2)
    document.add_paragraph(
        "Stiftelsen erhåller 500 000 kronor per år. Ersättningen betalas ut två gånger per år, i februari och augusti."
    )
    budget = document.add_table(rows=1, cols=3)
    for cell, text in zip(budget.rows[0].cells, ("Kostnadspost", "Belopp", "Kommentar"), strict=True):
        cell.text = text
    for label, amount, comment in (
        ("Läsombud", "300 000 kr", "Varav 100 000 kr är statsbidrag"),
        ("Böcker och material", "150 000 kr", ""),
        ("Lokaler", "50 000 kr", ""),
        ("Totalt", "500 000 kr", ""),
    ):
        cells = budget.add_row().cells
        cells[0].text, cells[1].text, cells[2].text = label, amount, comment
    document.add_heading("Styrning", level=2)
    document.add_paragraph("Styrgruppen sammanträder minst tre gånger per år.", style="List Bullet")
    document.add_paragraph("Minst två representanter per part ingår i styrgruppen.", style="List Bullet")
    document.save(str(path))
    return path
