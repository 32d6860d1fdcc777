# SPDX-License-Identifier: EUPL-1.2
"""What a browser would submit for a form on a page: its fields with the values the page rendered.

Tests post a page's own form back with a few changes, so they keep working when a form gains a field
(a hidden version, a new party row) and walk the page as a person does.
"""

from __future__ import annotations

from html.parser import HTMLParser


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[list[tuple[str, str]]] = []
        self._fields: list[tuple[str, str]] | None = None
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._text: list[str] = []
        self._option_value: str | None = None
        self._option_selected = False
        self._multiple = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._fields = []
        elif self._fields is None or "disabled" in a:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "reset", "file", "image"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self._fields.append((a["name"], a.get("value", "on" if kind in ("checkbox", "radio") else "")))
        elif tag == "select" and a.get("name"):
            self._select, self._options, self._multiple = a["name"], [], "multiple" in a
        elif tag == "option" and self._select is not None:
            self._option_value, self._option_selected, self._text = a.get("value"), "selected" in a, []
        elif tag == "textarea" and a.get("name"):
            self._textarea, self._text = a["name"], []

    def handle_data(self, data: str) -> None:
        self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "option" and self._select is not None:
            value = self._option_value if self._option_value is not None else "".join(self._text).strip()
            self._options.append((value, self._option_selected))
        elif tag == "select" and self._select is not None and self._fields is not None:
            chosen = [v for v, selected in self._options if selected]
            if not chosen and not self._multiple and self._options:
                chosen = [self._options[0][0]]
            self._fields.extend((self._select, v) for v in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._fields is not None:
            self._fields.append((self._textarea, "".join(self._text).removeprefix("\n")))
            self._textarea = None
        elif tag == "form" and self._fields is not None:
            self.forms.append(self._fields)
            self._fields = None


def form_data(html: str, *, containing: str) -> dict[str, str | list[str]]:
    """The fields of the page's form that has a field named ``containing``, as the test client posts them."""
    parser = _Forms()
    parser.feed(html)
    for fields in parser.forms:
        if any(name == containing for name, _ in fields):
            data: dict[str, str | list[str]] = {}
            for name, value in fields:
                if name in data:
                    previous = data[name]
                    data[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
                else:
                    data[name] = value
            return data
    raise AssertionError(f"no form with a field named {containing!r} on the page")
