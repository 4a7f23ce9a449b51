"""The project's form renderer draws plain selects in Python: the markup must be what Django's own
templates draw, for every kind of select the project uses."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from edlead.core.forms import EdleadFormRenderer

HOSTILE = "<script>alert(\"x\")</script> & 'quotes'"


class Sample(forms.Form):
    single = forms.ChoiceField(
        choices=[("", "All"), ("a", "Alpha"), ("b&c", HOSTILE), (3, 3)], required=False
    )
    grouped = forms.MultipleChoiceField(
        choices=[("Group <one>", [("x", "X"), ("y", "Y")]), ("Group two", [("z", "Z")]), ("w", "Loose")],
        widget=forms.SelectMultiple(
            attrs={"size": 6, "class": "edlead-multi", "data-flag": True, "hidden": False}
        ),
        required=False,
    )
    yes_no = forms.NullBooleanField(required=False)
    model_like = forms.TypedChoiceField(choices=[(1, "One"), (2, "Two")], coerce=int, disabled=True)


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"single": "b&c", "grouped": ["x", "z"], "yes_no": "true", "model_like": "2"},
        {"single": "3", "grouped": ["w"]},
    ],
)
def test_select_markup_equals_djangos_templates(data: dict[str, Any]) -> None:
    ours = Sample(data=data or None, renderer=EdleadFormRenderer())
    djangos = Sample(data=data or None, renderer=DjangoTemplates())
    for name in ours.fields:
        mine, theirs = str(ours[name]), str(djangos[name])
        assert mine == theirs, name
    assert "&lt;script&gt;" in str(ours["single"]) and "<script>" not in str(ours["single"])


def test_the_project_uses_it(settings: Any) -> None:
    from django.forms.renderers import get_default_renderer

    get_default_renderer.cache_clear()
    assert isinstance(get_default_renderer(), EdleadFormRenderer)
    assert "<option" in str(Sample()["grouped"])
