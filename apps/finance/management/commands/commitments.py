# SPDX-License-Identifier: EUPL-1.2
from typing import Any

from django.core.management.base import CommandParser
from django.utils.translation import gettext as _

from apps.agreements.models import Agreement
from apps.core.commands import Command as ContractCommand
from apps.core.commands import bad_input, year
from apps.finance import exports, selectors


class Command(ContractCommand):
    help = "The municipality's committed amounts per agreement and year, base and after index uplift."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="first", type=year, required=True)
        parser.add_argument("--to", dest="last", type=year, required=True)
        parser.add_argument("--format", choices=["json"], default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["last"] < options["first"]:
            raise bad_input(_("--to must not be before --from."))
        # A command on the server is trusted like the admin: the whole register.
        items, problems = selectors.commitments(Agreement.objects.all(), options["first"], options["last"])
        for problem in problems:
            self.stderr.write(problem)
        self.stdout.write(exports.dumps(exports.commitment_records(items)))
