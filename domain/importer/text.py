# SPDX-License-Identifier: EUPL-1.2
"""Reading documents (.txt, .pdf with a text layer, .docx) and normalising their text.
May import: the standard library, pdfplumber, python-docx and other domain modules; never Django or an app.

Every offset the importer reports (the ``evidence`` of a draft) refers to the text returned by
:func:`normalize_text`, which is idempotent: ``normalize_text(normalize_text(t)) == normalize_text(t)``.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from domain.importer.errors import ImportFailure

if TYPE_CHECKING:  # python-docx is imported lazily, where a .docx is read
    from docx.document import Document as DocxDocument
    from docx.table import Table
    from docx.text.paragraph import Paragraph

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_TEXT_CHARS = 2_000_000
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024  # all parts of a .docx together, pictures included
MAX_XML_BYTES = 30 * 1024 * 1024  # its XML parts unpacked (a long agreement's document.xml is 1–3 MB)
MAX_COMPRESSION_RATIO = 200  # an XML part larger than 1 MB that packs better than this is a zip bomb
MAX_PDF_PAGES = 500
SUPPORTED_SUFFIXES = (".txt", ".pdf", ".docx")

# --- normalisation -------------------------------------------------------------------------------

_SPACES = re.compile("[\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
_SOFT_HYPHEN_AT_BREAK = re.compile("\u00ad[ \t]*\n[ \t]*")
_PRIVATE_BULLETS = re.compile("[\uf000-\uf0ff]")
_BULLET_LINE = re.compile(r"(?m)^[ \t]*(?:[•●▪■◦‣∙·○◆◇►▶✓✔➢➤❖]|[-–—*](?=[ \t]))[ \t]*")
_TRAILING_SPACE = re.compile(r"(?m)[ \t]+$")
_PAGE_ARTEFACT = re.compile(
    r"(?im)^[ \t]*(?:(?:sida|page|s\.)[ \t]*\d{1,4}(?:[ \t]*(?:av|of|/)[ \t]*\d{1,4})?"
    r"|\d{1,4}[ \t]*\([ \t]*\d{1,4}[ \t]*\)|-[ \t]*\d{1,4}[ \t]*-)[ \t]*$"
)
_MANY_BLANK_LINES = re.compile(r"\n{3,}")
_LOWER = "a-zåäöéüæø"
_HYPHENATION = re.compile(
    rf"(?<=[{_LOWER}])-[ \t]*\n(?:[ \t]*\n)?[ \t]*(?=[{_LOWER}])(?!(?:och|eller|samt|respektive|till|som)\b)"
)
_HYPHENATION_UPPER = re.compile(
    rf"(?<=[A-ZÅÄÖ0-9])-[ \t]*\n(?:[ \t]*\n)?[ \t]*(?=[{_LOWER}])(?!(?:och|eller|samt|respektive|till|som)\b)"
)


def normalize_text(raw: str) -> str:
    """Normalise extracted text: line ends, spaces, bullets ("• "), soft hyphens, hyphenation, page numbers.

    The result keeps the line structure (tables extracted from PDFs depend on it). It is idempotent.
    """
    text = unicodedata.normalize("NFC", raw or "")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").replace("\v", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n")
    text = _INVISIBLE.sub("", text)
    text = _SPACES.sub(" ", text)
    text = text.replace("\t", "  ")
    text = _SOFT_HYPHEN_AT_BREAK.sub("", text).replace("\u00ad", "")
    text = _PRIVATE_BULLETS.sub("•", text)
    text = _TRAILING_SPACE.sub("", text)
    text = _PAGE_ARTEFACT.sub("", text)
    text = _BULLET_LINE.sub("• ", text)
    text = _TRAILING_SPACE.sub("", text)
    text = _PAGE_ARTEFACT.sub("", text)
    text = _MANY_BLANK_LINES.sub("\n\n", text)
    text = _HYPHENATION.sub("", text)
    text = _HYPHENATION_UPPER.sub("-", text)
    text = _MANY_BLANK_LINES.sub("\n\n", text)
    return text.strip("\n")


# --- readers -------------------------------------------------------------------------------------


def read_document(path: str | Path) -> str:
    """Return the raw text of a .txt, .pdf or .docx file, or raise :class:`ImportFailure` (a code and the name)."""
    file = Path(path)
    name = file.name or str(file)
    if not file.exists():
        raise ImportFailure("importer.file_missing", name=name)
    if file.is_dir():
        raise ImportFailure("importer.is_directory", name=name)
    try:
        size = file.stat().st_size
    except OSError as exc:
        raise ImportFailure("importer.unreadable", name=name) from exc
    if size == 0:
        raise ImportFailure("importer.empty_file", name=name)
    if size > MAX_FILE_BYTES:
        raise ImportFailure("importer.file_too_large", name=name, size_bytes=size, max_bytes=MAX_FILE_BYTES)
    suffix = file.suffix.lower()
    if suffix == ".doc":
        raise ImportFailure("importer.legacy_doc", name=name)
    if suffix not in SUPPORTED_SUFFIXES:
        raise ImportFailure("importer.unsupported_format", name=name, suffix=suffix)
    try:
        head = _read_head(file)
    except OSError as exc:
        raise ImportFailure("importer.unreadable", name=name) from exc
    readers = {".txt": _read_txt, ".pdf": _read_pdf, ".docx": _read_docx}
    text = readers[suffix](file, head)
    if len(text) > MAX_TEXT_CHARS:
        raise ImportFailure("importer.too_much_text", name=name, max_chars=MAX_TEXT_CHARS)
    if not text.strip():
        raise ImportFailure("importer.no_text", name=name)
    return text


def _read_head(file: Path) -> bytes:
    with file.open("rb") as handle:
        return handle.read(8)


def decode_text(data: bytes, name: str = "") -> str:
    """Decode a text file: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252/Latin-1."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ImportFailure("importer.undecodable", name=name) from exc
    if b"\x00" in data[:4096]:
        raise ImportFailure("importer.binary_text", name=name)
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFailure("importer.undecodable", name=name)  # pragma: no cover - latin-1 always decodes


def _read_txt(file: Path, head: bytes) -> str:
    if head.startswith(b"%PDF") or head.startswith(b"PK\x03\x04"):
        raise ImportFailure("importer.txt_not_text", name=file.name)
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise ImportFailure("importer.unreadable", name=file.name) from exc
    return decode_text(data, file.name)


def _read_pdf(file: Path, head: bytes) -> str:
    if not head.startswith(b"%PDF"):
        raise ImportFailure("importer.invalid_pdf", name=file.name)
    import pdfplumber  # imported lazily: only PDF imports pay for it

    pages: list[str] = []
    total = 0
    try:
        with pdfplumber.open(str(file)) as pdf:
            if len(pdf.pages) > MAX_PDF_PAGES:
                raise ImportFailure("importer.pdf_too_many_pages", name=file.name, max_pages=MAX_PDF_PAGES)
            for page in pdf.pages:
                page_text = page.extract_text() or ""
                pages.append(page_text)
                total += len(page_text)
                if total > MAX_TEXT_CHARS:
                    break
    except (ImportFailure, MemoryError):
        raise
    except Exception as exc:  # pdfminer raises many unrelated types for broken or encrypted files
        if _out_of_memory(exc):
            raise MemoryError from exc  # pdfplumber wraps it; a bounded reader turns it into its own failure
        raise ImportFailure("importer.pdf_unreadable", name=file.name) from exc
    text = "\n\f\n".join(pages)
    if not text.strip():
        raise ImportFailure("importer.pdf_no_text_layer", name=file.name)
    return text


def _out_of_memory(exc: BaseException) -> bool:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, MemoryError) or any(isinstance(arg, MemoryError) for arg in current.args):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


def _read_docx(file: Path, head: bytes) -> str:
    if not head.startswith(b"PK\x03\x04"):
        raise ImportFailure("importer.invalid_docx", name=file.name)
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise ImportFailure("importer.docx_unopenable", name=file.name) from exc
    if "word/document.xml" not in {member.filename for member in members}:
        raise ImportFailure("importer.invalid_docx", name=file.name)
    if _zip_bomb(members):
        raise ImportFailure("importer.docx_too_large", name=file.name)
    import docx  # python-docx, imported lazily

    try:
        document = docx.Document(str(file))
        return docx_text(document)
    except (ImportFailure, MemoryError):
        raise
    except Exception as exc:  # python-docx / lxml errors for malformed parts
        raise ImportFailure("importer.docx_unreadable", name=file.name) from exc


def _zip_bomb(members: list[zipfile.ZipInfo]) -> bool:
    """Would unpacking these parts take more than a real agreement ever needs? Decided from the archive's
    directory alone, before anything is unpacked: the sizes it declares (python-docx reads parts whole, and
    zipfile refuses to unpack more than a part declares)."""
    xml = [m for m in members if m.filename.endswith((".xml", ".rels"))]
    if sum(m.file_size for m in members) > MAX_UNZIPPED_BYTES or sum(m.file_size for m in xml) > MAX_XML_BYTES:
        return True
    return any(m.file_size > 1024 * 1024 and m.file_size > MAX_COMPRESSION_RATIO * max(m.compress_size, 1) for m in xml)


def docx_text(document: DocxDocument) -> str:
    """Text of a python-docx ``Document`` in document order: paragraphs, then tables as " | " rows.

    List paragraphs get a "• " prefix; the paragraphs of one table cell are joined with " • ".
    """
    from docx.table import Table

    lines: list[str] = []
    for block in document.iter_inner_content():  # the body's paragraphs and tables, in document order
        if isinstance(block, Table):
            lines.append("")
            lines.extend(_docx_table_rows(block))
            lines.append("")
        else:
            lines.append(_docx_paragraph(block))
    return "\n".join(lines)


def _docx_paragraph(paragraph: Paragraph) -> str:
    text = paragraph.text.strip()
    p_pr = paragraph._p.pPr
    style = getattr(getattr(paragraph, "style", None), "name", "") or ""
    is_list = (p_pr is not None and p_pr.numPr is not None) or style.lower().startswith("list")
    return f"• {text}" if text and is_list else text


def _docx_table_rows(table: Table) -> list[str]:
    rows: list[str] = []
    for row in table.rows:
        cells: list[str] = []
        seen: list[object] = []
        for cell in row.cells:
            if any(cell._tc is other for other in seen):  # horizontally merged cells repeat
                continue
            seen.append(cell._tc)
            parts = [p.text.strip() for p in cell.paragraphs if p.text.strip()]
            cells.append(" • ".join(part.replace("|", "/") for part in parts))
        if any(cells):
            rows.append(" | ".join(cells))
    return rows
