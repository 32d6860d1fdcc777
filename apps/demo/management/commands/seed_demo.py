from django.core.management.base import BaseCommand

from apps.demo.services import DEFAULT_PASSWORD, demo_load


class Command(BaseCommand):
    help = "Load the demo data (the three seeded agreements and demo users). Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--password", default=DEFAULT_PASSWORD, help="Password for every demo user.")

    def handle(self, *args, **options):
        result = demo_load(password=options["password"])
        self.stdout.write(self.style.SUCCESS(
            f"Demo data ready: {result['agreements_created']} agreements created, {result['agreements']} in all."))
        self.stdout.write("Demo logins (password: {}):".format(options["password"]))
        for username in result["users"]:
            self.stdout.write(f"  {username}")
