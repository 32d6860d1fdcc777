# SPDX-License-Identifier: EUPL-1.2
from typing import Any

from django.core.management.base import CommandParser
from django.utils.translation import gettext as _

from apps.agreements.models import Agreement
from apps.core.commands import Command as ContractCommand
from apps.core.commands import bad_input
from apps.finance import exports


class Command(ContractCommand):
    help = "An agreement's payment plan: planned, invoiced, paid and withheld payments."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("agreement_id", type=int)
        parser.add_argument("--format", choices=["json"], default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        agreement = Agreement.objects.filter(pk=options["agreement_id"]).first()
        if agreement is None:
            raise bad_input(_("No agreement with id %(id)s.") % {"id": options["agreement_id"]})
        self.stdout.write(exports.dumps(exports.payment_records(list(agreement.payments.all()))))
