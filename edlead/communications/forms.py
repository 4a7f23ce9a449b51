"""Forms of the communications pages. The services check everything again (a form is not the rule)."""

from __future__ import annotations

from typing import Any

from django import forms

from edlead.communications.models import Audience
from edlead.core.forms import UswdsFormMixin
from edlead.orgs.models import Organization
from edlead.people.models import Person

ITEMS = (1, 2, 3)


def _org_choices(orgs: list[Organization]) -> list[tuple[Any, str]]:
    return [("", "Choose"), *((o.pk, o.name) for o in orgs)]


class IssueForm(UswdsFormMixin, forms.Form):
    organization = forms.TypedChoiceField(label="Publisher", coerce=int)
    title = forms.CharField(label="Title", max_length=200)
    intro = forms.CharField(
        label="Introduction", required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    audiences = forms.MultipleChoiceField(
        label="Audiences", choices=Audience.choices, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, publishers: list[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["organization"]
        field.choices = _org_choices(publishers)
        for n in ITEMS:
            self.fields[f"item{n}_headline"] = forms.CharField(
                label=f"Item {n}: headline", max_length=200, required=n == 1
            )
            self.fields[f"item{n}_body"] = forms.CharField(
                label=f"Item {n}: text", widget=forms.Textarea(attrs={"rows": 3}), required=n == 1
            )
            self.fields[f"item{n}_link"] = forms.URLField(
                label=f"Item {n}: link (optional)", required=False, assume_scheme="https"
            )
            for name in ("headline", "body", "link"):
                widget = self.fields[f"item{n}_{name}"].widget
                widget.attrs["class"] = "usa-textarea" if name == "body" else "usa-input"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for n in ITEMS[1:]:
            headline, body = data.get(f"item{n}_headline"), data.get(f"item{n}_body")
            if bool(headline) != bool(body):
                self.add_error(
                    f"item{n}_headline" if not headline else f"item{n}_body",
                    "Give both a headline and a text, or neither.",
                )
        return data

    def items(self) -> list[dict[str, str]]:
        d = self.cleaned_data
        return [
            {
                "headline": d.get(f"item{n}_headline") or "",
                "body": d.get(f"item{n}_body") or "",
                "link": d.get(f"item{n}_link") or "",
            }
            for n in ITEMS
        ]

    def item_rows(self) -> list[list[Any]]:
        return [[self[f"item{n}_headline"], self[f"item{n}_body"], self[f"item{n}_link"]] for n in ITEMS]


class ReflectionForm(UswdsFormMixin, forms.Form):
    organization = forms.TypedChoiceField(
        label="Published by", coerce=int, help_text="Who reviews and publishes it."
    )
    title = forms.CharField(label="Title", max_length=200)
    topic = forms.CharField(
        label="Topic", max_length=100, help_text="e.g. Instructional leadership, Family engagement."
    )
    body = forms.CharField(label="Your reflection", widget=forms.Textarea(attrs={"rows": 12}))

    def __init__(self, *args: Any, publishers: list[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["organization"]
        field.choices = _org_choices(publishers)


class ReturnForm(UswdsFormMixin, forms.Form):
    comment = forms.CharField(label="Comments for the author", widget=forms.Textarea(attrs={"rows": 4}))


class ProgramForm(UswdsFormMixin, forms.Form):
    organization = forms.TypedChoiceField(label="Run by", coerce=int)
    name = forms.CharField(label="Program name", max_length=200)
    award_title = forms.CharField(
        label="Award title", max_length=200, help_text="e.g. Principal of the Year."
    )
    criteria = forms.CharField(label="Criteria", widget=forms.Textarea(attrs={"rows": 6}))
    opens_on = forms.DateField(label="Nominations open", widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(label="Nominations close", widget=forms.DateInput(attrs={"type": "date"}))
    self_nomination = forms.BooleanField(label="Educators may nominate themselves", required=False)

    def __init__(self, *args: Any, publishers: list[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["organization"]
        field.choices = _org_choices(publishers)


class NominationForm(UswdsFormMixin, forms.Form):
    nominee = forms.TypedChoiceField(label="Nominee", coerce=int)
    statement = forms.CharField(
        label="Statement",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="How the nominee meets each of the program's criteria, with examples.",
    )

    def __init__(self, *args: Any, people: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["nominee"]
        field.choices = [("", "Choose a colleague"), *((p.pk, p.display_name) for p in people)]


class ReviewForm(UswdsFormMixin, forms.Form):
    score = forms.TypedChoiceField(
        label="Score against the criteria",
        coerce=int,
        choices=[
            ("", "Choose"),
            (5, "5 - outstanding"),
            (4, "4 - strong"),
            (3, "3 - meets"),
            (2, "2 - partly"),
            (1, "1 - weak"),
        ],
    )
    comment = forms.CharField(label="Comment", required=False, widget=forms.Textarea(attrs={"rows": 4}))


class AwardForm(UswdsFormMixin, forms.Form):
    citation = forms.CharField(
        label="Citation",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown with the award on the person's record.",
    )


class PanelistForm(UswdsFormMixin, forms.Form):
    person = forms.TypedChoiceField(label="Add a panelist", coerce=int)

    def __init__(self, *args: Any, people: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["person"]
        field.choices = [("", "Choose a person"), *((p.pk, p.display_name) for p in people)]
