"""Form helpers shared by the apps: the design system's classes on every widget."""

from __future__ import annotations

from django import forms


class DesignSystemFormMixin:
    """Adds Designsystemet classes to widgets; Django itself sets aria-invalid and aria-describedby."""

    def __init__(self, *args, **kwargs):
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
