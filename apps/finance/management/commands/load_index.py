# SPDX-License-Identifier: EUPL-1.2
"""``manage.py load_index --series PKV FILE``: a table of index values from a CSV or spreadsheet file.

The interface (name and options) is relied on by other tools: keep it. The file is read by
:mod:`apps.finance.imports`, the table parsed by :mod:`domain.index_table`; every value is stored in one
transaction, then the payment plans of the agreements the changed years reach are recalculated in bulk
(:mod:`apps.finance.recalculation`: queued with the values, run at once after their commit).
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandParser
from django.http import Http404
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from apps.accounts.commands import command_user
from apps.accounts.models import User
from apps.core.commands import Command as ContractCommand
from apps.core.commands import bad_input
from apps.core.errors import describe
from apps.finance import imports, selectors
from apps.finance.models import IndexSeries, IndexValue
from domain.errors import DomainError
from domain.periods import MAX_YEAR, MIN_YEAR


def publication_date(value: str) -> dt.date:
    """An argument type: a date written YYYY-MM-DD."""
    text = value.strip()
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError(text)
        date = dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("“%(value)s” is not a date written YYYY-MM-DD.") % {"value": value}
        ) from None
    if not MIN_YEAR <= date.year <= MAX_YEAR:
        raise argparse.ArgumentTypeError(
            _("the year must lie between %(min)d and %(max)d, not %(year)d.")
            % {"min": MIN_YEAR, "max": MAX_YEAR, "year": date.year}
        )
    return date


def percent_text(value: Decimal) -> str:
    """2.900 → "2,9 %" in Swedish (the active language's decimal sign)."""
    plain = value.normalize()
    if plain.as_tuple().exponent > 0:  # type: ignore[operator]  # normalize() of 10 is 1E+1
        plain = plain.quantize(Decimal(1))
    return f"{number_format(plain, use_l10n=True)} %"


class Command(ContractCommand):
    help = "Load index values (e.g. SKR's PKV) from a .csv, .xlsx, .xls or .ods table of years and percentages."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, metavar="FILE")
        parser.add_argument("--series", required=True, metavar="CODE")
        parser.add_argument("--published", type=publication_date, metavar="DATE")
        parser.add_argument("--forecast", action="store_true")
        parser.add_argument("--source", default="", metavar="TEXT")
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--user", metavar="USERNAME")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = command_user(options["user"])
        series = self._series(options["series"], actor, options["user"])
        source = options["source"].strip()
        max_source = IndexValue._meta.get_field("source").max_length
        if max_source is not None and len(source) > max_source:
            raise bad_input(_("--source can be at most %(max)s characters long.") % {"max": max_source})
        published: dt.date = options["published"] or timezone.localdate()
        try:
            table = imports.read_index_table(options["file"], label=series.code)
            loaded = imports.index_values_load(
                actor=actor,
                series=series,
                values=table,
                published_on=published,
                is_forecast=options["forecast"],
                source=source,
                dry_run=options["dry_run"],
            )
        except DomainError as exc:
            raise bad_input(describe(exc)) from None
        except imports.ValueRefused as exc:
            raise bad_input(
                _("%(year)s: %(problem)s") % {"year": exc.year, "problem": " ".join(exc.messages)}
            ) from None
        except PermissionDenied:
            raise bad_input(self._refusal(options["user"], series.code)) from None
        lines = [self._line(value) for value in loaded]
        counts = {status: sum(1 for v in loaded if v.status == status) for status in ("new", "changed", "unchanged")}
        lines.append(
            _(
                "Values in the file for %(series)s: %(count)s (new: %(new)s, changed: %(changed)s, unchanged: %(unchanged)s)."
            )
            % {"series": series.code, "count": len(loaded), **counts}
        )
        if options["dry_run"]:
            lines.append(_("Dry run: nothing was saved."))
        elif counts["new"] or counts["changed"]:
            plans = imports.index_plans_regenerate(actor=actor, series=series)
            if plans.pending:
                lines.append(
                    _(
                        "The task worker is recalculating the payment plans on %(series)s; the index page shows when it is done."
                    )
                    % {"series": series.code}
                )
            else:
                lines.append(
                    _("Agreements on %(series)s: %(total)s; the payment plan changed for %(changed)s.")
                    % {"series": series.code, "total": plans.agreements, "changed": plans.changed}
                )
            for pk, title, messages in plans.refused:
                self.stderr.write(
                    _("The payment plan of agreement %(id)s (%(title)s) was not updated: %(problem)s")
                    % {"id": pk, "title": title, "problem": " ".join(messages)}
                )
        self.stdout.write("\n".join(lines))

    def _series(self, code: str, actor: User | None, username: str | None) -> IndexSeries:
        """The series with ``code``, got through the access layer with the right to keep it."""
        found = IndexSeries.objects.filter(code__iexact=code.strip()).values_list("pk", "code").first()
        pk, code = found if found is not None else (None, code)
        try:
            return selectors.access_index_series(actor, pk, perm="finance.change_index")
        except Http404:
            raise bad_input(_("There is no index series with the code %(code)s.") % {"code": code}) from None
        except PermissionDenied:
            raise bad_input(self._refusal(username, code)) from None

    def _refusal(self, username: str | None, code: str) -> str:
        return _("The user %(name)s may not keep the index series %(code)s.") % {"name": username, "code": code}

    def _line(self, value: imports.LoadedValue) -> str:
        words = {
            "new": pgettext("index value", "new"),
            "changed": pgettext("index value", "changed"),
            "unchanged": pgettext("index value", "unchanged"),
        }
        values = {
            "year": value.year,
            "month": MONTHS[value.month],
            "percent": percent_text(value.percent),
            "status": words[value.status],
        }
        if value.status == "changed" and value.old_percent is not None:
            return _("%(year)s (%(month)s): %(percent)s – %(status)s (was %(old)s)") % {
                **values,
                "old": percent_text(value.old_percent),
            }
        return _("%(year)s (%(month)s): %(percent)s – %(status)s") % values
