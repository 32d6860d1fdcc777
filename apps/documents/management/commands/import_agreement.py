"""``python manage.py import_agreement PATH --json``: the importer contract (shared/import/CONTRACT.md).

A thin wrapper around the pure reader in :mod:`domain.importer`: one JSON draft on stdout and exit 0,
or a clear message on stderr, nothing on stdout, exit 2. Nothing is written to the database.
"""

import sys

from django.core.management.base import BaseCommand, CommandError

from domain.importer.cli import main


class Command(BaseCommand):
    help = "Read an IOP agreement or decision report (.txt, .pdf, .docx) and print the draft as JSON."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--json", action="store_true")
        parser.add_argument("--no-evidence", action="store_true")

    def run_from_argv(self, argv):
        # From the shell the pure CLI owns parsing, output and exit status exactly as the contract says.
        sys.exit(main(argv[2:], sys.stdout, sys.stderr))

    def handle(self, *args, **options):
        """From call_command(): the same reader; a failure raises CommandError with exit status 2."""
        argv = [options["path"], "--json"] + (["--no-evidence"] if options["no_evidence"] else [])
        status = main(argv, self.stdout, self.stderr)
        if status != 0:
            raise CommandError("import failed", returncode=status)
