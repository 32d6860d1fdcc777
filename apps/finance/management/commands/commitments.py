from django.core.management.base import BaseCommand, CommandError

from apps.agreements.models import Agreement
from apps.finance import exports, selectors


class Command(BaseCommand):
    help = "The municipality's committed amounts per agreement and year, base and after index uplift."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="first", type=int, required=True)
        parser.add_argument("--to", dest="last", type=int, required=True)
        parser.add_argument("--format", choices=["json"], default="json")

    def handle(self, *args, **options):
        if options["last"] < options["first"]:
            raise CommandError("--to must not be before --from")
        # A command on the server is trusted like the admin: the whole register.
        items, problems = selectors.commitments(Agreement.objects.all(), options["first"], options["last"])
        for problem in problems:
            self.stderr.write(problem)
        self.stdout.write(exports.dumps(exports.commitment_records(items)))
