from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "apps.agreements"
    label = "agreements"

    def ready(self) -> None:
        from . import permissions  # noqa: F401 - registers the rules
