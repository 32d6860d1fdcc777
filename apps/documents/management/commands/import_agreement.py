# SPDX-License-Identifier: EUPL-1.2
"""``python manage.py import_agreement PATH --json``: the importer contract (shared/import/CONTRACT.md).

Without ``--public-body`` this is a thin edge around the pure reader in :mod:`domain.importer`: one JSON
draft on stdout and exit 0, or a clear message on stderr, nothing on stdout, exit 2. The draft's
``warnings`` are sentences in the product's language, with their codes and parameters beside them in
``warning_details``. A folder prints a JSON list of ``{"path", "ok", "draft" | "error"}``; exit 0 when every
file was imported, 1 when some failed, 2 when none could be. Nothing is written to the database.

With ``--public-body ORG`` (an organisation's id or organisationsnummer) it is the product's bulk import:
every file in the folder PATH (or the one file PATH) becomes an import draft awaiting review in the app.
Progress goes to stderr one line per file, failing files do not stop the rest, and a summary at the end
lists what needs attention. Exit status: 0 when every file was imported (warnings or skipped duplicates
included), 1 when some files failed, 2 when none could be imported or the arguments are wrong.

Both keep the commands' contract (:mod:`apps.core.commands`): messages in the product's language, never a
traceback.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.accounts.commands import command_user
from apps.accounts.models import User
from apps.core.commands import Command as ContractCommand
from apps.core.commands import bad_input
from apps.core.errors import describe
from apps.organisations.models import Organisation
from domain import orgnr
from domain.importer import ImportFailure, import_directory, import_path

from ... import services
from ...errors import contract_draft
from ...models import ImportDraft


class Command(ContractCommand):
    help = (
        "Read an IOP agreement or decision report (.txt, .pdf, .docx) and print the draft as JSON; with "
        "--public-body, import a folder of documents as drafts awaiting review."
    )
    requires_system_checks: list[str] = []  # the reader needs no database; the score runs it once per document

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path")
        parser.add_argument("--json", action="store_true", help="print the draft as JSON (the default)")
        parser.add_argument("--indent", type=int, default=None, help="indentation of the JSON output")
        parser.add_argument("--no-evidence", action="store_true", help="leave out the passages (evidence)")
        parser.add_argument(
            "--public-body", help="id or organisationsnummer of the public body the documents belong to"
        )
        parser.add_argument("--user", help="username of the case officer the drafts are imported by")

    def handle(self, *args: Any, **options: Any) -> None:
        if options.get("public_body"):
            self._bulk(options)
            return
        path = Path(options["path"])
        if path.is_dir():
            self._read_directory(path, options)
            return
        try:
            draft = import_path(path)
        except ImportFailure as failure:
            raise bad_input(describe(failure)) from failure
        self.stdout.write(self._json(self._printable(draft, options), options))

    # Reading without the database: the contract ------------------------------------------------------------

    @staticmethod
    def _printable(draft: dict[str, Any], options: dict[str, Any]) -> dict[str, Any]:
        result = contract_draft(draft)
        if options.get("no_evidence"):
            result.pop("evidence", None)
        return result

    @staticmethod
    def _json(value: object, options: dict[str, Any]) -> str:
        return json.dumps(value, ensure_ascii=False, indent=options.get("indent"))

    def _read_directory(self, path: Path, options: dict[str, Any]) -> None:
        results: list[dict[str, Any]] = []
        failures = 0
        for file, outcome in import_directory(path):
            if isinstance(outcome, ImportFailure):
                failures += 1
                message = describe(outcome)
                self.stderr.write(message)
                results.append({"path": str(file), "ok": False, "error": message, "code": outcome.code})
            else:
                results.append({"path": str(file), "ok": True, "draft": self._printable(outcome, options)})
        if not results:
            raise bad_input(_("The folder %(name)s holds no .txt, .pdf or .docx files.") % {"name": path.name})
        self.stdout.write(self._json(results, options))
        if failures:
            raise CommandError(
                ngettext("%(n)d file could not be imported.", "%(n)d files could not be imported.", failures)
                % {"n": failures},
                returncode=2 if failures == len(results) else 1,
            )

    # Bulk import into the database ------------------------------------------------------------------------

    def _public_body(self, value: str) -> Organisation:
        value = value.strip()
        bodies = Organisation.objects.filter(kind=Organisation.Kind.PUBLIC_BODY)
        if value.isdigit() and len(value) < 10:
            found = bodies.filter(pk=int(value))
        else:
            try:
                found = bodies.filter(org_number=orgnr.normalize(value))
            except orgnr.OrgnrError:
                found = bodies.filter(name__iexact=value)
        candidates = list(found[:10])
        if not candidates:
            raise bad_input(_("No public body %(value)s in the register.") % {"value": value})
        if len(candidates) > 1:
            names = ", ".join(f"{o.pk}: {o.name}" for o in candidates)
            raise bad_input(
                _(
                    "Several public bodies have the organisation number %(value)s; give the id of one "
                    "of them: %(names)s."
                )
                % {"value": value, "names": names}
            )
        return candidates[0]

    def _files(self, path: Path) -> list[Path]:
        if path.is_file():
            return [path]
        if not path.is_dir():
            raise bad_input(_("%(path)s is neither a file nor a folder.") % {"path": path})
        return sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith("."))

    def _bulk(self, options: dict[str, Any]) -> None:
        body = self._public_body(options["public_body"])
        actor = command_user(options.get("user"))
        files = self._files(Path(options["path"]))
        if not files:
            raise bad_input(_("The folder holds no files to import."))
        width = len(str(len(files)))
        imported: list[ImportDraft] = []
        warned: list[ImportDraft] = []
        failed: list[tuple[Path, str]] = []
        skipped: list[tuple[Path, str]] = []
        for number, path in enumerate(files, start=1):
            prefix = f"[{number:>{width}}/{len(files)}] {path.name} … "
            self.stderr.write(prefix, ending="")
            self.stderr.flush()
            outcome = self._one(path, body, actor)
            kind, value = outcome
            if kind == "ok":
                imported.append(value)
                if value.warning_count:
                    warned.append(value)
                    self.stderr.write(
                        ngettext("done (%(n)d warning)", "done (%(n)d warnings)", value.warning_count)
                        % {"n": value.warning_count}
                    )
                else:
                    self.stderr.write(_("done"))
            elif kind == "skipped":
                skipped.append((path, value))
                self.stderr.write(_("skipped: %(reason)s") % {"reason": value})
            else:
                failed.append((path, value))
                self.stderr.write(_("failed"))
        self._summary(files, imported, warned, failed, skipped)
        if failed:
            code = 2 if not imported and not skipped else 1
            raise CommandError(
                ngettext("%(n)d file could not be imported.", "%(n)d files could not be imported.", len(failed))
                % {"n": len(failed)},
                returncode=code,
            )

    def _one(self, path: Path, body: Organisation, actor: User | None) -> tuple[str, Any]:
        as_system = actor is None
        try:
            with path.open("rb") as handle:
                draft = services.importdraft_import(  # read here and now, in the bounded reader
                    actor=actor,
                    public_body=body,
                    file=File(handle, name=path.name),
                    filename=path.name,
                    as_system=as_system,
                )
            return "ok", draft
        except services.AlreadyImported as exc:
            return "skipped", exc.messages[0]
        except PermissionDenied as exc:
            raise bad_input(str(exc) or _("You do not have permission to do this.")) from exc
        except ValidationError as exc:
            message = " ".join(exc.messages)
        except OSError as exc:
            message = _("The file %(name)s could not be read (%(error)s).") % {"name": path.name, "error": exc.strerror}
        try:
            with path.open("rb") as handle:
                services.importdraft_record_failure(
                    actor=actor,
                    public_body=body,
                    file=File(handle, name=path.name),
                    filename=path.name,
                    message=message,
                    as_system=as_system,
                )
        except OSError:
            pass
        return "failed", message

    def _summary(
        self,
        files: list[Path],
        imported: list[ImportDraft],
        warned: list[ImportDraft],
        failed: list[tuple[Path, str]],
        skipped: list[tuple[Path, str]],
    ) -> None:
        out = self.stderr
        out.write("")
        out.write(
            _("Imported %(ok)d of %(total)d files as drafts awaiting review.")
            % {"ok": len(imported), "total": len(files)}
        )
        if skipped:
            out.write(
                ngettext(
                    "%(n)d file was already imported and was skipped.",
                    "%(n)d files were already imported and were skipped.",
                    len(skipped),
                )
                % {"n": len(skipped)}
            )
        if failed:
            out.write(_("Could not be imported:"))
            for path, message in failed:
                out.write(f"  - {path.name}: {message}")
        if warned:
            out.write(_("Drafts with warnings to check:"))
            for draft in warned:
                out.write(
                    "  - "
                    + ngettext("%(name)s: %(n)d warning", "%(name)s: %(n)d warnings", draft.warning_count)
                    % {"name": draft.original_name, "n": draft.warning_count}
                )
        if imported:
            out.write(_("Review the drafts under Import in Partnerskap (/import/)."))
