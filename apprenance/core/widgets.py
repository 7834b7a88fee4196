from html import escape

from django import forms
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe


class QuickSelect(forms.Select):
    """A <select> rendered in Python, for long lists of options.

    Django renders each <option> through a template, and normalises choices assigned to a
    field: for the 200 organisations of a large network, either costs more than the page's
    queries. Give plain (value, label) pairs in ``options`` to skip both.
    """

    options: list[tuple[str, str]] | None = None

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        final_attrs["name"] = name
        selected = {str(item) for item in self.format_value(value)}
        pairs = self.options if self.options is not None else self.choices
        # The standard library's escape: Django's, lazy-aware, costs several times more per call.
        options = "".join(
            f'<option value="{escape(str(key))}"{" selected" if str(key) in selected else ""}>'
            f"{escape(str(label))}</option>"
            for key, label in pairs
        )
        return mark_safe(f"<select{flatatt(final_attrs)}>{options}</select>")  # noqa: S308 -- every part escaped
