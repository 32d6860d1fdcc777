# SPDX-License-Identifier: EUPL-1.2
"""Hostile documents, made on the spot (never committed as files): zip bombs, huge or deep XML, a PDF bomb.

Each is small on disk and enormous, deep or slow once read; the bounded reader must refuse them in
seconds while the process that asked stays small.
"""

from __future__ import annotations

import functools
import io
import zipfile
import zlib

_CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/word/document.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    b"</Types>"
)
_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    b'officeDocument" Target="word/document.xml"/></Relationships>'
)
_W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _docx(document_xml: bytes, extra: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("word/document.xml", document_xml)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx_zip_bomb(megabytes: int = 300) -> bytes:
    """A .docx whose picture part unpacks to ``megabytes`` of zeros (a few hundred kB packed)."""
    body = b"<w:document " + _W + b"><w:body><w:p><w:r><w:t>Partnerskap</w:t></w:r></w:p></w:body></w:document>"
    return _docx(body, {"word/media/image1.png": bytes(megabytes * 1024 * 1024)})


def docx_huge_xml(megabytes: int = 60) -> bytes:
    """A .docx whose document.xml unpacks to ``megabytes`` of paragraphs."""
    paragraph = b"<w:p><w:r><w:t>Ideburet offentligt partnerskap mellan parterna.</w:t></w:r></w:p>"
    count = megabytes * 1024 * 1024 // len(paragraph)
    return _docx(b"<w:document " + _W + b"><w:body>" + paragraph * count + b"</w:body></w:document>")


def docx_deep_xml(depth: int = 200_000) -> bytes:
    """A .docx whose document.xml nests ``depth`` elements (a parser that recurses runs out of stack)."""
    return _docx(b"<w:document " + _W + b"><w:body>" + b"<w:p>" * depth + b"</w:p>" * depth + b"</w:body></w:document>")


def docx_entity_expansion() -> bytes:
    """A .docx whose document.xml defines nested entities ("billion laughs")."""
    entities = b'<!ENTITY a0 "lol">' + b"".join(
        b'<!ENTITY a%d "%s">' % (i, b"&a%d;" % (i - 1) * 10) for i in range(1, 10)
    )
    document = (
        b'<?xml version="1.0"?><!DOCTYPE w:document [' + entities + b"]>"
        b"<w:document " + _W + b"><w:body><w:p><w:r><w:t>&a9;</w:t></w:r></w:p></w:body></w:document>"
    )
    return _docx(document)


@functools.lru_cache(maxsize=2)  # made once per test process
def pdf_bomb(megabytes: int = 1500) -> bytes:
    """A one-page PDF whose content stream inflates to ``megabytes`` (about 1.5 MB packed per GB)."""
    packer = zlib.compressobj(9)
    chunk = b" " * (1024 * 1024)
    stream = b"".join(packer.compress(chunk) for _ in range(megabytes)) + packer.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()
