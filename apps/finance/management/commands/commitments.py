# SPDX-License-Identifier: EUPL-1.2
from typing import Any

from django.core.management.base import CommandParser
from django.utils.translation import gettext as _

from apps.accounts.commands import add_user_argument, command_user
from apps.agreements.models import Agreement
from apps.agreements.selectors import visible_agreements
from apps.core.commands import Command as ContractCommand
from apps.core.commands import bad_input, year
from apps.finance import exports, selectors


class Command(ContractCommand):
    help = "The municipality's committed amounts per agreement and year, base and after index uplift."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="first", type=year, required=True)
        parser.add_argument("--to", dest="last", type=year, required=True)
        parser.add_argument("--format", choices=["json"], default="json")
        add_user_argument(parser, help_text="Act as this user: the agreements of their portfolio only.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["last"] < options["first"]:
            raise bad_input(_("--to must not be before --from."))
        # Without --user a command on the server is trusted like the admin: the whole register. With it, what
        # that person's portfolio page shows (staff only).
        user = command_user(options["user"])
        if user is None:
            agreements = Agreement.objects.all()
        elif user.has_perm("finance.view_portfolio"):
            agreements = visible_agreements(user)
        else:
            raise bad_input(_("%(name)s may not see the portfolio.") % {"name": user.username})
        items, problems = selectors.commitments(agreements, options["first"], options["last"])
        for problem in problems:
            self.stderr.write(problem)
        # Written a record at a time as the rows are read: the memory stays the same however many agreements.
        for chunk in exports.dumps_stream(exports.commitment_records(items)):
            self.stdout.write(chunk, ending="")
        self.stdout.write("")
