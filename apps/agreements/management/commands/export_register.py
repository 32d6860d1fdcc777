# SPDX-License-Identifier: EUPL-1.2
import itertools
import shutil
import sys
import tempfile
from typing import Any

from django.core.management.base import CommandParser
from django.utils.translation import gettext as _

from apps.accounts.commands import add_user_argument, command_user
from apps.agreements import exports
from apps.agreements.models import Agreement
from apps.agreements.selectors import visible_agreements
from apps.core.commands import Command as ContractCommand
from apps.core.commands import bad_input


class Command(ContractCommand):
    help = "Write every agreement in the register as JSON, CSV or Excel (to stdout or --output)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=["json", "csv", "xlsx"], default="json")
        parser.add_argument("--output", "-o", help="File to write; stdout if left out (xlsx needs a file or a pipe).")
        add_user_argument(parser, help_text="Act as this user: the agreements their register export holds.")

    def handle(self, *args: Any, **options: Any) -> None:
        fmt, output = options["format"], options["output"]
        if fmt == "xlsx" and not output and sys.stdout.isatty():
            raise bad_input(_("Excel output is binary: give --output FILE or redirect stdout."))
        # Without --user a command run on the server is trusted like the admin: the whole register. With it,
        # what that person's export from the register page holds.
        user = command_user(options["user"])
        if user is not None and not user.has_perm("agreements.view_register"):
            raise bad_input(_("%(name)s may not export the register.") % {"name": user.username})
        scope = Agreement.objects.all() if user is None else visible_agreements(user)
        # Read in one query and written as it is read (apps.agreements.exports): constant memory and queries
        # however large the register.
        records = exports.register_records(scope.order_by("id"))
        try:
            if fmt == "xlsx":
                if output:
                    exports.write_xlsx(records, output)
                else:
                    with tempfile.TemporaryFile() as fh:
                        exports.write_xlsx(records, fh)
                        fh.seek(0)
                        shutil.copyfileobj(fh, sys.stdout.buffer)
                return
            chunks = (
                itertools.chain(exports.json_stream(records), ["\n"]) if fmt == "json" else exports.csv_stream(records)
            )
            if output:
                with open(output, "w", encoding="utf-8") as fh:
                    for chunk in chunks:
                        fh.write(chunk)
            else:
                for chunk in chunks:
                    self.stdout.write(chunk, ending="")
        except OSError as exc:
            if not output:
                raise
            raise bad_input(
                _("The file %(path)s could not be written (%(reason)s).")
                % {"path": output, "reason": _file_problem(exc)}
            ) from exc


def _file_problem(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return _("the folder does not exist")
    if isinstance(exc, PermissionError):
        return _("permission denied")
    if isinstance(exc, IsADirectoryError):
        return _("it is a folder")
    return _("the file system refused it")
