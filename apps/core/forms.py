# SPDX-License-Identifier: EUPL-1.2
"""Form helpers shared by the apps: the design system's classes on every widget."""

from __future__ import annotations

import html
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.formsets import DELETION_FIELD_NAME
from django.utils.safestring import SafeData, SafeString, mark_safe


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


def _text(value: Any) -> str:
    """``value`` escaped for HTML, unless it is marked safe already (as ``conditional_escape``, without its lazy
    wrapper: this runs for every option of a long list)."""
    return str(value) if isinstance(value, SafeData) else html.escape(str(value))


def _attributes(attrs: dict[str, Any]) -> str:
    """The attributes as Django's attrs.html writes them: True is a bare attribute, False and None none."""
    return "".join(
        f" {name}" if value is True else f' {name}="{_text(value)}"'
        for name, value in attrs.items()
        if value is not False and value is not None
    )


class FastSelect(forms.Select):
    """``forms.Select`` whose options are written in Python instead of through a template each, so that a list of
    hundreds or thousands of options (every public body of a national register, every organisation) renders in
    milliseconds rather than seconds. The markup is what Django's select.html and select_option.html write."""

    # Set by a form whose many selects offer the same options (each party row of an agreement): the options are
    # written once into this dict and reused by every select sharing it, with only the chosen one marked.
    shared: dict[str, Any] | None = None
    # With ``shared``: how many of the first choices (groups) are this select's own, written for it alone and
    # put before the shared ones (e.g. the organisations proposed for one party of an imported document).
    own_choices = 0

    @staticmethod
    def _options(optgroups: Any) -> str:
        parts = []
        for group_name, options, _index in optgroups:
            if group_name:
                parts.append(f'\n  <optgroup label="{_text(group_name)}">')
            parts.extend(
                f'\n  <option value="{_text(o["value"])}"{_attributes(o["attrs"])}>{_text(o["label"])}</option>'
                for o in options
            )
            if group_name:
                parts.append("\n  </optgroup>")
        return "".join(parts)

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        if self.shared is None or self.allow_multiple_selected:
            widget = self.get_context(name, value, attrs)["widget"]
            options = self._options(widget["optgroups"])
        else:
            widget = forms.Widget.get_context(self, name, value, attrs)["widget"]  # without the option dicts
            choices = list(self.choices) if self.own_choices else []
            if "options" not in self.shared:
                rest = FastSelect(choices=choices[self.own_choices :]) if self.own_choices else self
                self.shared["options"] = self._options(rest.optgroups(name, [], attrs))
            options = self.shared["options"]
            if self.own_choices:
                own = FastSelect(choices=choices[: self.own_choices])
                options = self._options(own.optgroups(name, [], attrs)) + options
            for chosen in widget["value"]:
                option = f'<option value="{_text(chosen)}">'
                options = options.replace(option, f'<option value="{_text(chosen)}" selected>', 1)
        return mark_safe(  # noqa: S308  # every value in it is escaped above
            f'<select name="{_text(widget["name"])}"{_attributes(widget["attrs"])}>{options}\n</select>'
        )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """The form's field ``name`` as the choice field it is, so that its choices can be set in ``__init__``."""
    field = form.fields[name]
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{type(form).__name__}.{name} is a {type(field).__name__}, not a choice field")
    return field


def model_choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField[Any]:
    """The form's field ``name`` as the model choice field it is, so that its queryset can be set in ``__init__``."""
    field = form.fields[name]
    if not isinstance(field, forms.ModelChoiceField):
        raise TypeError(f"{type(form).__name__}.{name} is a {type(field).__name__}, not a model choice field")
    return field


def marked_for_deletion(formset: forms.BaseFormSet[Any], form: forms.BaseForm) -> bool:
    """Whether the person ticked the row's delete box (call after the formset is validated)."""
    return formset.can_delete and bool(form.cleaned_data.get(DELETION_FIELD_NAME))


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
