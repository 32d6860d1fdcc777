"""Form helpers shared by the apps: the design system's classes on every widget."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError


class DesignSystemFormMixin:
    """Adds Designsystemet classes to widgets; Django itself sets aria-invalid and aria-describedby."""

    fields: dict[str, forms.Field]  # provided by the form class this is mixed into

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, (forms.CheckboxSelectMultiple, forms.RadioSelect)):
                continue
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "ds-input")
                continue
            widget.attrs["class"] = (widget.attrs.get("class", "") + " ds-input").strip()


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def validation_messages(exc: ValidationError) -> list[str]:
    """Every message of a service's ValidationError, whether it names fields or not."""
    if hasattr(exc, "error_dict"):
        return [str(m) for errors in exc.message_dict.values() for m in errors]
    return [str(m) for m in exc.messages]


def add_validation_error(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field where the form has it, else on the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        for error in exc.messages:
            form.add_error(None, error)
