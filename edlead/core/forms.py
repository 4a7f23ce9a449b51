"""Form helpers: USWDS classes on every widget so forms look and read the same everywhere."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString


class UswdsFormMixin:
    """Adds the design system's classes to each widget."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.Select):
                css = "usa-select"
            elif isinstance(widget, forms.CheckboxInput):
                css = "usa-checkbox__input"
            elif isinstance(widget, forms.Textarea):
                css = "usa-textarea"
            elif isinstance(widget, forms.FileInput):
                css = "usa-file-input"
            else:
                css = "usa-input"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
            if field.help_text:
                widget.attrs["aria-describedby"] = f"id_{self.add_prefix(name)}-hint"  # type: ignore[attr-defined]


SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def _attrs_html(attrs: dict[str, Any]) -> SafeString:
    """Django's `attrs.html`: `True` writes the bare name, `False` leaves the attribute out."""
    return format_html_join(
        "",
        "{}{}",
        (
            (format_html(" {}", name), "" if value is True else format_html('="{}"', str(value)))
            for name, value in attrs.items()
            if value is not False
        ),
    )


def select_html(widget: dict[str, Any]) -> SafeString:
    """The HTML Django's `select.html` template draws for a select's context, built in Python.

    A select of a few hundred options (the metric catalog, a district's schools) costs tens of
    milliseconds through the template engine, one include per option; this is the same markup for a
    fraction of that. Options drawn with another template go through the engine as before."""
    groups = []
    for group_name, group_choices, _index in widget["optgroups"]:
        options = format_html_join(
            "",
            '\n  <option value="{}"{}>{}</option>\n',
            ((str(o["value"]), _attrs_html(o["attrs"]), o["label"]) for o in group_choices),
        )
        if group_name:
            options = format_html('\n  <optgroup label="{}">{}\n  </optgroup>', group_name, options)
        groups.append(options)
    return format_html(
        '<select name="{}"{}>{}\n</select>',
        widget["name"],
        _attrs_html(widget["attrs"]),
        format_html_join("", "{}", ((g,) for g in groups)),
    )


class EdleadFormRenderer(DjangoTemplates):
    """The project's form renderer (`FORM_RENDERER`): Django's own, except that plain selects are drawn
    by `select_html` instead of one template include per option."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        if template_name == SELECT_TEMPLATE:
            widget = context["widget"]
            if all(
                o["template_name"] == OPTION_TEMPLATE for _n, group, _i in widget["optgroups"] for o in group
            ):
                return select_html(widget)
        return super().render(template_name, context, request=request)
