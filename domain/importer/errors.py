# SPDX-License-Identifier: EUPL-1.2
"""Errors raised by the importer: a code and parameters, no words (they are chosen at the edge).
May import: the standard library and other domain modules; never Django or an app.

Every failure has the parameter ``name``, the document's file name, except ``importer.text_too_long``
(text given directly) and where noted. Codes (extra parameters):

- ``importer.file_missing``, ``importer.is_directory``, ``importer.not_a_folder``, ``importer.unreadable``
- ``importer.empty_file``; ``importer.file_too_large`` (size_bytes, max_bytes)
- ``importer.legacy_doc`` (.doc); ``importer.unsupported_format`` (suffix, "" when there is none)
- ``importer.too_much_text`` (max_chars); ``importer.text_too_long`` (max_chars, no name); ``importer.no_text``
- ``importer.undecodable``, ``importer.binary_text``, ``importer.txt_not_text``
- ``importer.invalid_pdf``, ``importer.pdf_unreadable``, ``importer.pdf_no_text_layer``;
  ``importer.pdf_too_many_pages`` (max_pages)
- ``importer.invalid_docx``, ``importer.docx_unopenable``, ``importer.docx_too_large``, ``importer.docx_unreadable``
- ``importer.too_slow`` (seconds), ``importer.too_much_memory`` (megabytes): reading the file took longer or
  more memory than the bounded reader allows (set by the application that runs it in a separate process)
- ``importer.not_an_agreement``: readable, but no IOP agreement or decision report
- ``importer.internal_error`` (error: the exception's type name): a bug met while reading one file of many
"""

from __future__ import annotations

from domain.errors import DomainError


class ImportFailure(DomainError):
    """A document that cannot be imported; ``code`` and ``params`` say why (see the module's list)."""
