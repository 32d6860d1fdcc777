# SPDX-License-Identifier: EUPL-1.2
"""Importing files: one path → a draft, or a whole directory → one result per file.

May import: the standard library and other domain modules; never Django or an app.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from domain.importer.errors import ImportFailure
from domain.importer.parse import looks_like_agreement, parse_text
from domain.importer.text import SUPPORTED_SUFFIXES, read_document

Draft = dict[str, Any]


def import_path(path: str | Path) -> Draft:
    """Read one .txt/.pdf/.docx file and return its draft; raise :class:`ImportFailure` (a code and the name).

    Fails for a missing, unreadable, empty or too large file, an unsupported format, and a file that
    holds no IOP agreement or decision report at all.
    """
    file = Path(path)
    text = read_document(file)
    draft = parse_text(text)
    if not looks_like_agreement(draft, text):
        raise ImportFailure("importer.not_an_agreement", name=file.name)
    return draft


def import_directory(directory: str | Path) -> Iterator[tuple[Path, Draft | ImportFailure]]:
    """Import every supported file in ``directory`` (sorted, not recursive); one failing file never stops the rest."""
    folder = Path(directory)
    if not folder.is_dir():
        raise ImportFailure("importer.not_a_folder", name=folder.name or str(folder))
    for file in sorted(folder.iterdir()):
        if not file.is_file() or file.name.startswith(".") or file.suffix.lower() not in SUPPORTED_SUFFIXES:
            continue
        try:
            yield file, import_path(file)
        except ImportFailure as failure:
            yield file, failure
        except Exception as exc:  # noqa: BLE001 - a bug on one file must not stop a bulk import
            yield file, ImportFailure("importer.internal_error", name=file.name, error=type(exc).__name__)
