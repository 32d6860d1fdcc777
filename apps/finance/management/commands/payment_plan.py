# SPDX-License-Identifier: EUPL-1.2
from typing import Any

from django.core.management.base import CommandParser
from django.http import Http404
from django.utils.translation import gettext as _

from apps.accounts.commands import add_user_argument, command_user
from apps.core.commands import Command as ContractCommand
from apps.core.commands import bad_input
from apps.finance import exports, selectors


class Command(ContractCommand):
    help = "An agreement's payment plan: planned, invoiced, paid and withheld payments."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("agreement_id", type=int)
        parser.add_argument("--format", choices=["json"], default="json")
        add_user_argument(parser, help_text="Act as this user: only an agreement whose money they may see.")

    def handle(self, *args: Any, **options: Any) -> None:
        # Without --user the command acts for the platform (whoever runs manage.py holds the database): user
        # None is the system, which sees every agreement. The lookup goes through the access layer either way.
        user = command_user(options["user"])
        try:
            agreement = selectors.access_finance(user, options["agreement_id"], perm="finance.view_finance")
        except Http404:
            raise bad_input(_("No agreement with id %(id)s.") % {"id": options["agreement_id"]}) from None
        self.stdout.write(exports.dumps(exports.payment_records(list(agreement.payments.all()))))
