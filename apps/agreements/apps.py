# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "apps.agreements"
    label = "agreements"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from apps.organisations.pages import register_count, register_section, register_visible

        from . import errors, pages, permissions, receivers, selectors  # noqa: F401 - the rules, the words for error codes

        receivers.connect()

        register_section("agreements", pages.organisation_agreements)
        register_count("agreements", _("Agreements"), pages.visible_agreement_count)
        register_visible("agreement_parties", selectors.party_organisation_ids)
