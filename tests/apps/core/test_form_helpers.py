# SPDX-License-Identifier: EUPL-1.2
"""The typed form helpers: a field is returned as the kind it is, or the mistake is named; deleted rows are found."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django import forms

from apps.core.forms import choice_field, marked_for_deletion, model_choice_field
from apps.organisations.models import Organisation


class _Form(forms.Form):
    name = forms.CharField(required=False)
    kind = forms.ChoiceField(choices=[("a", "A")], required=False)
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), required=False)


def test_choice_field_returns_the_forms_own_field_so_setting_choices_sticks() -> None:
    form = _Form()
    choice_field(form, "kind").choices = [("b", "B")]
    assert list(form.fields["kind"].widget.choices) == [("b", "B")]
    # A model choice field is a choice field too.
    assert choice_field(form, "organisation") is form.fields["organisation"]


def test_model_choice_field_returns_the_forms_own_field() -> None:
    form = _Form()
    model_choice_field(form, "organisation").queryset = Organisation.objects.filter(pk=-1)
    field = form.fields["organisation"]
    assert isinstance(field, forms.ModelChoiceField)
    assert field.queryset is not None and "-1" in str(field.queryset.query)


@pytest.mark.parametrize(
    ("helper", "name"), [(choice_field, "name"), (model_choice_field, "name"), (model_choice_field, "kind")]
)
def test_a_field_of_another_kind_is_a_named_error(helper: Callable[[forms.BaseForm, str], object], name: str) -> None:
    with pytest.raises(TypeError, match=rf"_Form\.{name} is a \w+Field, not a"):
        helper(_Form(), name)


def test_marked_for_deletion_follows_the_delete_box() -> None:
    formset_class = forms.formset_factory(_Form, extra=0, can_delete=True)
    data = {"f-TOTAL_FORMS": "2", "f-INITIAL_FORMS": "2", "f-0-name": "kept", "f-1-name": "gone", "f-1-DELETE": "on"}
    formset = formset_class(data, prefix="f")
    assert formset.is_valid()
    assert [marked_for_deletion(formset, f) for f in formset.forms] == [False, True]


def test_nothing_is_marked_for_deletion_when_the_formset_cannot_delete() -> None:
    formset_class = forms.formset_factory(_Form, extra=0, can_delete=False)
    data = {"f-TOTAL_FORMS": "1", "f-INITIAL_FORMS": "1", "f-0-name": "x", "f-0-DELETE": "on"}
    formset = formset_class(data, prefix="f")
    assert formset.is_valid()
    assert marked_for_deletion(formset, formset.forms[0]) is False


def test_month_filter_names_the_month_in_the_active_language() -> None:
    from django.utils import translation

    from apps.core.templatetags.core import month

    with translation.override("sv"):
        assert month(10) == "oktober"
    with translation.override("en"):
        assert month("1") == "January"
    assert month(13) == "13" and month("") == ""


def _structure(html: str) -> list[tuple[str, str, tuple[tuple[str, str | None], ...]]]:
    """The elements of ``html`` in order (start tags with their attributes, sorted; text; end tags)."""
    from html.parser import HTMLParser

    found: list[tuple[str, str, tuple[tuple[str, str | None], ...]]] = []

    class Parser(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.append(("start", tag, tuple(sorted(attrs))))

        def handle_endtag(self, tag: str) -> None:
            found.append(("end", tag, ()))

        def handle_data(self, data: str) -> None:
            if data.strip():
                found.append(("text", data.strip(), ()))

    Parser().feed(html)
    return found


def test_fast_select_writes_what_djangos_select_writes() -> None:
    """The same select, options, groups, selection, attributes and escaping as Django's templates (only
    quicker: no template per option, for the lists of every organisation or public body)."""
    from apps.core.forms import FastSelect

    choices = [
        ("", "—"),
        (1, "Socialnämnden <Nordost> & Co"),
        (2, 'Föreningen "Alfa"'),
        ("Andra kommuner och regioner – bjuds in", [(3, "Mölndals stad"), (4, "Partille kommun")]),
    ]
    attrs = {"class": "ds-input", "aria-describedby": "id_x_helptext", "required": True, "disabled": False}
    for value in (None, "", 2, "4", [1]):
        fast = FastSelect(attrs=attrs, choices=choices).render("organisation", value, {"id": "id_organisation"})
        django = forms.Select(attrs=attrs, choices=choices).render("organisation", value, {"id": "id_organisation"})
        assert _structure(str(fast)) == _structure(str(django)), value
    assert "&lt;Nordost&gt; &amp; Co" in fast and "&quot;Alfa&quot;" in fast
    shared: dict[str, str] = {}  # many selects with the same options (an agreement's party rows) write them once
    for value in (2, None, "4", "", 1, 2):
        select = FastSelect(attrs=attrs, choices=choices)
        select.shared = shared
        fast = select.render("organisation", value, {"id": "id_organisation"})
        django = forms.Select(attrs=attrs, choices=choices).render("organisation", value, {"id": "id_organisation"})
        assert _structure(str(fast)) == _structure(str(django)), value
    assert " selected" not in shared["options"]
    # A row's own first group (the organisations proposed for one party) before the shared rest.
    rest = choices[1:]
    shared = {}
    for own, value in (
        ([("Föreslagna", [(4, "Partille kommun")])], "4"),
        ([("Föreslagna", [(2, "Alfa")])], 1),
        ([], 3),
    ):
        select = FastSelect(attrs=attrs, choices=own + rest)
        select.shared, select.own_choices = shared, len(own)
        fast = select.render("organisation", value, {"id": "id_organisation"})
        django = forms.Select(attrs=attrs, choices=own + rest).render("organisation", value, {"id": "id_organisation"})
        assert _structure(str(fast)) == _structure(str(django)), value
