# SPDX-License-Identifier: EUPL-1.2
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import CommandParser
from django.utils.translation import gettext as _

from apps.core.commands import Command as ContractCommand
from apps.core.commands import bad_input
from apps.demo.services import DEFAULT_PASSWORD, demo_load


class Command(ContractCommand):
    help = (
        "Load the demo data (Göteborg's three seeded agreements, Mölndal's two and the demo users). Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--password", default=DEFAULT_PASSWORD, help="Password for every demo user.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = demo_load(password=options["password"])
        except ImproperlyConfigured:
            raise bad_input(_("Demo data is not allowed with these settings (PARTNERSKAP_ALLOW_DEMO_DATA).")) from None
        lines = [
            _("Demo data ready: %(created)d agreements created, %(total)d in all.")
            % {"created": result["agreements_created"], "total": result["agreements"]},
            _("Demo logins (password: %(password)s):") % {"password": options["password"]},
            *(f"  {username}" for username in result["users"]),
        ]
        self.stdout.write(self.style.SUCCESS(lines[0]))
        self.stdout.write("\n".join(lines[1:]))
