# SPDX-License-Identifier: EUPL-1.2
"""A pure, rule-based reader of Swedish IOP agreements and decision reports (no Django, no network).
May import: the standard library and other domain modules; never Django or an app.

Public API::

    parse_text(text) -> dict                 # draft "partnerskap.agreement-draft/1" (+ "evidence")
    normalize_text(raw) -> str               # the text every evidence offset refers to
    read_document(path) -> str               # raw text of a .txt/.pdf/.docx (raises ImportFailure)
    import_path(path) -> dict                # read + parse + refuse non-agreements (raises ImportFailure)
    import_directory(dir) -> Iterator[(Path, dict | ImportFailure)]
    ImportFailure(code, **params)            # a DomainError: the words are chosen at the edge
"""

from domain.importer.errors import ImportFailure
from domain.importer.parse import looks_like_agreement, parse_text
from domain.importer.service import import_directory, import_path
from domain.importer.text import normalize_text, read_document

__all__ = [
    "ImportFailure",
    "import_directory",
    "import_path",
    "looks_like_agreement",
    "normalize_text",
    "parse_text",
    "read_document",
]
