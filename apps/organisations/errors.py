# SPDX-License-Identifier: EUPL-1.2
"""Words for the organisation number's error codes (``domain.orgnr.OrgnrError``).

Registered with :func:`apps.core.errors.register` when the app is ready; shown with
:func:`apps.core.errors.describe` in the active language.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from apps.core.errors import register

register(
    {
        "orgnr.format": _("Write the organisation number as NNNNNN-NNNN."),
        "orgnr.length": _("An organisation number has ten digits (NNNNNN-NNNN)."),
        "orgnr.checksum": _("The check digit does not match: check the organisation number."),
    }
)
