from django.core.management.base import BaseCommand, CommandError

from apps.agreements.models import Agreement
from apps.finance import exports


class Command(BaseCommand):
    help = "An agreement's payment plan: planned, invoiced, paid and withheld payments."

    def add_arguments(self, parser):
        parser.add_argument("agreement_id", type=int)
        parser.add_argument("--format", choices=["json"], default="json")

    def handle(self, *args, **options):
        agreement = Agreement.objects.filter(pk=options["agreement_id"]).first()
        if agreement is None:
            raise CommandError(f"No agreement with id {options['agreement_id']}.")
        self.stdout.write(exports.dumps(exports.payment_records(list(agreement.payments.all()))))
