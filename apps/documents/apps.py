from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "apps.documents"
    label = "documents"

    def ready(self) -> None:
        from . import permissions  # noqa: F401 - registers the rules
