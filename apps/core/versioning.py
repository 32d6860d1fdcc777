# SPDX-License-Identifier: EUPL-1.2
"""No lost update: the version an edit form was read at, checked when it is saved.

Holds: the abstract :class:`Versioned` model (an integer ``version``, 1 when created, one more for every
saved change), the hidden form field that carries it, the check a service makes under a row lock, and
the helpers a view uses to re-show a refused form. May import: Django only (the words for what the other
person changed come from :mod:`apps.audit.concurrency`, which a view combines with this).

A service that writes an existing row: ``obj = lock_current(obj, expected_version)`` (a ``select for
update`` of the row, refused with the code :data:`STALE` when its version moved on), then writes, then
``bump_version(obj, changes)`` before its audit event, which thereby records ``"version": [n, n + 1]``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.http import QueryDict
from django.utils.translation import gettext as _

STALE = "stale"
GONE = "gone"


class Versioned(models.Model):
    """A row edited through a form: its version moves on by one with every saved change."""

    # No translatable verbose_name: the history treats it as internal and does not show it.
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


def stale_error(current: int) -> ValidationError:
    return ValidationError(
        _(
            "Someone else saved a change here after you opened the form. Their change is shown below and "
            "nothing of yours was saved. What you typed is still in the form: check it and save again to "
            "replace their values with yours."
        ),
        code=STALE,
        params={"version": current},
    )


def gone_error() -> ValidationError:
    return ValidationError(_("Someone else removed this in the meantime."), code=GONE)


def lock_current[V: Versioned](obj: V, expected_version: int | None) -> V:
    """The row of ``obj`` as stored, locked until the end of the transaction; refused when it moved on.

    ``expected_version`` is the version the form was read at; ``None`` (a write that comes from no form,
    such as an import) takes the row as it is.
    """
    try:
        current = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
    except type(obj).DoesNotExist as exc:
        raise gone_error() from exc
    if expected_version is not None and current.version != expected_version:
        raise stale_error(current.version)
    return current


def bump_version(obj: Versioned, changes: dict[str, Any]) -> None:
    """After a saved change of a locked row: the next version, also recorded in ``changes``.

    Nothing changed, nothing moves on: a save without changes does not make others' forms stale.
    """
    if not changes:
        return
    type(obj)._default_manager.filter(pk=obj.pk).update(version=F("version") + 1)
    changes["version"] = [obj.version, obj.version + 1]
    obj.version += 1


def is_stale(exc: ValidationError) -> bool:
    """Whether a service refused the save because the row moved on since the form was read."""
    if hasattr(exc, "error_dict"):
        return False
    return any(getattr(error, "code", None) == STALE for error in exc.error_list)


def stale_version(exc: ValidationError) -> int | None:
    """The version the row is at now, as the refusal carries it."""
    for error in getattr(exc, "error_list", []):
        if getattr(error, "code", None) == STALE and error.params:
            value = error.params.get("version")
            return value if isinstance(value, int) else None
    return None


class VersionedFormMixin(forms.BaseForm):
    """An edit form that carries, hidden, the version of the row it was read at (``version``).

    A form posted without it (not one of the product's pages) is saved as before, over whatever is stored.
    """

    def __init__(self, *args: Any, version: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
        instance = getattr(self, "instance", None)
        if version is None and isinstance(instance, Versioned) and instance.pk:
            version = instance.version
        if version is not None:
            self.initial["version"] = version

    @property
    def read_version(self) -> int | None:
        """The version the person's form was read at (after validation)."""
        value = self.cleaned_data.get("version")
        return value if isinstance(value, int) else None

    def posted_version(self) -> int | None:
        """The version the posted form says it was read at, before validation (None when not given)."""
        if not self.is_bound:
            return None
        raw = self.data.get(self.add_prefix("version"))
        try:
            return int(raw) if raw not in (None, "") else None
        except (TypeError, ValueError):
            return None

    def refuse_if_moved_on(self, current: int) -> int | None:
        """Refuse at once a posted form read at another version than ``current``, before the save is tried
        (what the form offers may depend on the row's state, such as a payment's next statuses).

        Returns the version the form was read at when it is refused, else None.
        """
        posted = self.posted_version()
        if posted is None or posted == current:
            return None
        self.is_valid()
        self.add_error(None, stale_error(current))
        self.rebase(current)
        return posted

    def rebase(self, version: int) -> None:
        """Re-shown after a refusal: the person's input stays, the hidden version becomes the current one,
        so that saving again is a deliberate choice to replace the other person's values."""
        name = self.add_prefix("version")
        data = self.data.copy() if isinstance(self.data, QueryDict) else QueryDict(mutable=True)
        if not isinstance(self.data, QueryDict):
            data.update(self.data)
        data[name] = str(version)
        self.data = data

    def refused_as_stale(self, exc: ValidationError) -> bool:
        """Whether the service refused the save as stale; if so, the form is ready to be shown again."""
        if not is_stale(exc):
            return False
        current = stale_version(exc)
        if current is not None:
            self.rebase(current)
        return True
