"""``python manage.py import_agreement PATH --json``: the importer contract (shared/import/CONTRACT.md).

Without ``--public-body`` this is a thin wrapper around the pure reader in :mod:`domain.importer`: one JSON
draft on stdout and exit 0, or a clear message on stderr, nothing on stdout, exit 2. Nothing is written
to the database.

With ``--public-body ORG`` (an organisation's id or organisationsnummer) it is the product's bulk import:
every file in the folder PATH (or the one file PATH) becomes an import draft awaiting review in the app.
Progress goes to stderr one line per file, failing files do not stop the rest, and a summary at the end
lists what needs attention. Exit status: 0 when every file was imported (warnings or skipped duplicates
included), 1 when some files failed, 2 when none could be imported or the arguments are wrong.
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.accounts.models import User
from apps.organisations.models import Organisation
from domain import orgnr
from domain.importer.cli import main

from ... import services


class Command(BaseCommand):
    help = ("Read an IOP agreement or decision report (.txt, .pdf, .docx) and print the draft as JSON; with "
            "--public-body, import a folder of documents as drafts awaiting review.")

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--json", action="store_true")
        parser.add_argument("--no-evidence", action="store_true")
        parser.add_argument("--public-body", help="id or organisationsnummer of the public body the documents belong to")
        parser.add_argument("--user", help="username of the case officer the drafts are imported by")

    def run_from_argv(self, argv):
        if any(a == "--public-body" or a.startswith("--public-body=") for a in argv[2:]):
            return super().run_from_argv(argv)
        # From the shell the pure CLI owns parsing, output and exit status exactly as the contract says.
        sys.exit(main(argv[2:], sys.stdout, sys.stderr))

    def handle(self, *args, **options):
        if options.get("public_body"):
            with translation.override("sv"):
                return self._bulk(options)
        # From call_command(): the same reader; a failure raises CommandError with exit status 2.
        argv = [options["path"], "--json"] + (["--no-evidence"] if options["no_evidence"] else [])
        status = main(argv, self.stdout, self.stderr)
        if status != 0:
            raise CommandError("import failed", returncode=status)

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
        found = list(found[:10])
        if not found:
            raise CommandError(_("No public body %(value)s in the register.") % {"value": value}, returncode=2)
        if len(found) > 1:
            names = ", ".join(f"{o.pk}: {o.name}" for o in found)
            raise CommandError(_("Several public bodies have the organisation number %(value)s; give the id of one "
                                 "of them: %(names)s.") % {"value": value, "names": names}, returncode=2)
        return found[0]

    def _actor(self, username: str | None):
        if not username:
            return None
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(_("No active user %(name)s.") % {"name": username}, returncode=2)
        return user

    def _files(self, path: Path) -> list[Path]:
        if path.is_file():
            return [path]
        if not path.is_dir():
            raise CommandError(_("%(path)s is neither a file nor a folder.") % {"path": path}, returncode=2)
        return sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith("."))

    def _bulk(self, options) -> None:
        body = self._public_body(options["public_body"])
        actor = self._actor(options.get("user"))
        files = self._files(Path(options["path"]))
        if not files:
            raise CommandError(_("The folder holds no files to import."), returncode=2)
        width = len(str(len(files)))
        imported, warned, failed, skipped = [], [], [], []
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
                    self.stderr.write(ngettext("done (%(n)d warning)", "done (%(n)d warnings)", value.warning_count)
                                      % {"n": value.warning_count})
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
            raise CommandError(ngettext("%(n)d file could not be imported.", "%(n)d files could not be imported.",
                                        len(failed)) % {"n": len(failed)}, returncode=code)

    def _one(self, path: Path, body: Organisation, actor) -> tuple[str, object]:
        as_system = actor is None
        try:
            with path.open("rb") as handle:
                draft = services.importdraft_upload(actor=actor, public_body=body, file=File(handle, name=path.name),
                                                    filename=path.name, as_system=as_system)
            return "ok", draft
        except services.AlreadyImported as exc:
            return "skipped", exc.messages[0]
        except PermissionDenied as exc:
            raise CommandError(str(exc) or _("You do not have permission to do this."), returncode=2) from exc
        except ValidationError as exc:
            message = " ".join(exc.messages)
        except OSError as exc:
            message = _("The file %(name)s could not be read (%(error)s).") % {"name": path.name, "error": exc.strerror}
        try:
            with path.open("rb") as handle:
                services.importdraft_record_failure(actor=actor, public_body=body, file=File(handle, name=path.name),
                                                    filename=path.name, message=message, as_system=as_system)
        except OSError:
            pass
        return "failed", message

    def _summary(self, files, imported, warned, failed, skipped) -> None:
        out = self.stderr
        out.write("")
        out.write(_("Imported %(ok)d of %(total)d files as drafts awaiting review.") % {
            "ok": len(imported), "total": len(files)})
        if skipped:
            out.write(ngettext("%(n)d file was already imported and was skipped.",
                               "%(n)d files were already imported and were skipped.", len(skipped)) % {"n": len(skipped)})
        if failed:
            out.write(_("Could not be imported:"))
            for path, message in failed:
                out.write(f"  - {path.name}: {message}")
        if warned:
            out.write(_("Drafts with warnings to check:"))
            for draft in warned:
                out.write("  - " + ngettext("%(name)s: %(n)d warning", "%(name)s: %(n)d warnings", draft.warning_count)
                          % {"name": draft.original_name, "n": draft.warning_count})
        if imported:
            out.write(_("Review the drafts under Import in Partnerskap (/import/)."))
