import sys

from django.core.management.base import BaseCommand, CommandError

from apps.agreements import exports
from apps.agreements.models import Agreement


class Command(BaseCommand):
    help = "Write every agreement in the register as JSON, CSV or Excel (to stdout or --output)."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json", "csv", "xlsx"], default="json")
        parser.add_argument("--output", "-o", help="File to write; stdout if left out (xlsx needs a file or a pipe).")

    def handle(self, *args, **options):
        # A command run on the server is trusted like the admin: it sees the whole register.
        qs = Agreement.objects.order_by("id").prefetch_related("parties__organisation")
        records = exports.register_records(qs)
        fmt = options["format"]
        payload: bytes | str
        if fmt == "json":
            payload = exports.to_json(records) + "\n"
        elif fmt == "csv":
            payload = exports.to_csv(records)
        else:
            payload = exports.to_xlsx(records)
        if options["output"]:
            mode = "wb" if isinstance(payload, bytes) else "w"
            with open(options["output"], mode, **({} if mode == "wb" else {"encoding": "utf-8"})) as fh:
                fh.write(payload)
        elif isinstance(payload, bytes):
            if sys.stdout.isatty():
                raise CommandError("Excel output is binary: give --output FILE or redirect stdout.")
            sys.stdout.buffer.write(payload)
        else:
            self.stdout.write(payload, ending="")
