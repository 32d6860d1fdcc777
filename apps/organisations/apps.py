# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "apps.organisations"
    label = "organisations"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from apps.accounts.selectors import scope_changed

        from . import errors, permissions  # noqa: F401 - registers the rules and the words for error codes
        from .models import Organisation

        def on_hierarchy_written(sender: type[Organisation], **kwargs: object) -> None:
            scope_changed()  # a body added, moved or removed changes what "below a body" covers

        post_save.connect(on_hierarchy_written, sender=Organisation, dispatch_uid="organisations.scope_saved")
        post_delete.connect(on_hierarchy_written, sender=Organisation, dispatch_uid="organisations.scope_deleted")
