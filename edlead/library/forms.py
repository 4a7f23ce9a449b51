"""What a person types for the library: a resource with its tags, and a link's note."""

from __future__ import annotations

from typing import Any

from django import forms

from edlead.evaluations.models import Indicator
from edlead.library import selectors, services
from edlead.library.models import Resource, Topic

TEXT = {"class": "usa-textarea"}


class IndicatorField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"Standard {obj.standard.code}, {obj.code} {obj.name}"


class ResourceForm(forms.Form):
    publisher = forms.ChoiceField(label="Published by", required=False)
    title = forms.CharField(label="Title", max_length=200)
    kind = forms.ChoiceField(label="Kind", choices=Resource.Kind.choices)
    summary = forms.CharField(
        label="Summary",
        max_length=1000,
        widget=forms.Textarea(attrs={**TEXT, "rows": 3}),
        help_text="A few sentences: what it is and whom it helps.",
    )
    body = forms.CharField(
        label="Text",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={**TEXT, "rows": 8}),
        help_text="The document itself, or how to use the tool or the reading.",
    )
    context = forms.CharField(
        label="Case study: context",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs=TEXT),
        help_text="The school or district, its students and staff, the moment.",
    )
    challenge = forms.CharField(
        label="Case study: challenge", required=False, max_length=5000, widget=forms.Textarea(attrs=TEXT)
    )
    actions = forms.CharField(
        label="Case study: actions taken", required=False, max_length=5000, widget=forms.Textarea(attrs=TEXT)
    )
    results = forms.CharField(
        label="Case study: results", required=False, max_length=5000, widget=forms.Textarea(attrs=TEXT)
    )
    discussion_questions = forms.CharField(
        label="Case study: discussion questions",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs=TEXT),
        help_text="One question a line.",
    )
    url = forms.URLField(
        label="Link",
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="A video or a reading elsewhere (https://…).",
    )
    topics = forms.ModelMultipleChoiceField(
        label="Topics", queryset=Topic.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    roles = forms.MultipleChoiceField(
        label="For these roles",
        choices=selectors.ROLE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    indicators = IndicatorField(
        label="Standards and indicators",
        queryset=Indicator.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Of the state's administrator rubric (603 CMR 35.00).",
    )

    def __init__(self, *args: Any, user: Any, resource: Resource | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        framework = selectors.rubric()
        qs = Indicator.objects.filter(standard__framework=framework).select_related("standard")
        indicators = self.fields["indicators"]
        assert isinstance(indicators, IndicatorField)
        indicators.queryset = qs.order_by("standard__order", "order", "pk")
        for name in ("title", "url"):
            self.fields[name].widget.attrs["class"] = "usa-input"
        for name in ("kind", "publisher"):
            self.fields[name].widget.attrs["class"] = "usa-select"
        if resource is not None:  # the publisher stays what it was
            del self.fields["publisher"]
        else:
            publisher = self.fields["publisher"]
            assert isinstance(publisher, forms.ChoiceField)
            publisher.choices = services.publishing_organizations(user)

    def resource_data(self) -> services.ResourceData:
        d = self.cleaned_data
        return services.ResourceData(
            title=d["title"],
            kind=d["kind"],
            summary=d["summary"],
            body=d["body"],
            context=d["context"],
            challenge=d["challenge"],
            actions=d["actions"],
            results=d["results"],
            discussion_questions=d["discussion_questions"],
            url=d["url"],
            topics=list(d["topics"]),
            roles=list(d["roles"]),
            indicators=list(d["indicators"]),
        )

    @staticmethod
    def initial_for(resource: Resource) -> dict[str, Any]:
        return {
            **{
                name: getattr(resource, name)
                for name in (
                    "title",
                    "kind",
                    "summary",
                    "body",
                    "context",
                    "challenge",
                    "actions",
                    "results",
                    "discussion_questions",
                    "url",
                )
            },
            "topics": list(resource.topics.all()),
            "roles": [r.role for r in resource.roles.all()],
            "indicators": list(resource.indicators.all()),
        }
