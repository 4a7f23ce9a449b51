"""Posting pages: postings, one posting with who meets its requirements and what near-candidates lack, a
district's role requirements (editable by HR), bench strength, and the roles a person qualifies for."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from edlead.access import policy
from edlead.core.errors import ApplicationError
from edlead.core.forms import UswdsFormMixin
from edlead.core.services import audit_record
from edlead.core.views import private as _private
from edlead.credentials import eligibility, services, services_postings
from edlead.credentials.compliance import COMPLIANCE_VIEW
from edlead.credentials.models import CredentialType, Degree, Licence
from edlead.credentials.models_postings import POSITION_ROLES, Posting, Requirement
from edlead.orgs.models import Organization
from edlead.people.models import Person, Position

ELIGIBILITY_VIEWED = services_postings.ELIGIBILITY_VIEWED


def _candidates(request: HttpRequest) -> Any:
    """The people whose credentials the reader may weigh (the compliance rule: HR, administrators, chain)."""
    return policy.visible_to(request.user, Person.objects.all(), COMPLIANCE_VIEW)


@login_required
@require_safe
def posting_list(request: HttpRequest) -> HttpResponse:
    if not policy.can(request.user, policy.POSTING_VIEW):
        raise PermissionDenied("Postings are for HR, administrators and the superintendent.")
    postings = policy.visible_to(
        request.user, Posting.objects.select_related("organization", "filled_by"), policy.POSTING_VIEW
    ).order_by("status", "-opens_on", "pk")
    districts = policy.visible_to(
        request.user, Organization.objects.filter(kind=Organization.Kind.DISTRICT), policy.POSTING_VIEW
    ).order_by("name")
    manageable = {d.pk for d in districts if policy.can(request.user, policy.POSTING_MANAGE, d)}
    context = {"postings": list(postings), "districts": list(districts), "manageable": manageable}
    return _private(render(request, "credentials/postings/posting_list.html", context))


@login_required
@require_safe
def posting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    posting = policy.get_for_user(
        request.user,
        Posting.objects.select_related("organization__district", "filled_by"),
        policy.POSTING_VIEW,
        pk=pk,
    )
    result = eligibility.posting_eligibility(posting, visible=_candidates(request))
    audit_record(
        action=ELIGIBILITY_VIEWED,
        actor=request.user,
        target=posting,
        request=request,
        detail={"eligible": len(result.eligible), "near": len(result.near)},
    )
    context = {
        "posting": posting,
        "result": result,
        "may_manage": policy.can(request.user, policy.POSTING_MANAGE, posting),
        "may_advise": policy.can(request.user, policy.HIRING_ADVICE, posting),
    }
    return _private(render(request, "credentials/postings/posting_detail.html", context))


@login_required
@require_safe
def bench(request: HttpRequest, pk: int) -> HttpResponse:
    district = policy.get_for_user(
        request.user, Organization.objects.filter(kind=Organization.Kind.DISTRICT), policy.POSTING_VIEW, pk=pk
    )
    data = eligibility.bench_strength(district, visible=_candidates(request))
    audit_record(action=ELIGIBILITY_VIEWED, actor=request.user, target=district, request=request)
    return _private(render(request, "credentials/postings/bench.html", {"bench": data, "district": district}))


@login_required
@require_safe
def person_roles(request: HttpRequest, pk: int) -> HttpResponse:
    person = policy.get_for_user(request.user, Person.objects.all(), services.CREDENTIALS_VIEW, pk=pk)
    fits = eligibility.roles_for_person(person)
    if person.pk != getattr(request.user, "person_id", None):
        audit_record(action=ELIGIBILITY_VIEWED, actor=request.user, target=person, request=request)
    context = {"person": person, "fits": fits, "mine": person.pk == getattr(request.user, "person_id", None)}
    return _private(render(request, "credentials/postings/person_roles.html", context))


# --- role requirements ----------------------------------------------------------------------------------
class RequirementForm(UswdsFormMixin, forms.Form):
    role = forms.ChoiceField(choices=POSITION_ROLES)
    kind = forms.ChoiceField(choices=Requirement.Kind.choices)
    importance = forms.ChoiceField(choices=Requirement.Importance.choices)
    fields_text = forms.CharField(
        required=False,
        label="Licence fields, endorsement or assessment",
        help_text="Catalog codes, separated by commas: principal, superintendent, sei-administrator, pal…",
    )
    levels_text = forms.CharField(
        required=False,
        label="Licence levels",
        help_text="e.g. 9-12; “school” for the posting's school's level.",
    )
    min_stage = forms.ChoiceField(choices=[("", "Any stage"), *Licence.Stage.choices], required=False)
    degree_level = forms.ChoiceField(choices=[("", "—"), *Degree.Level.choices], required=False)
    years = forms.IntegerField(min_value=1, max_value=40, required=False)
    roles = forms.MultipleChoiceField(
        choices=Position.Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Roles that count as experience",
    )


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


@login_required
@require_http_methods(["GET", "POST"])
def role_requirements(request: HttpRequest, pk: int) -> HttpResponse:
    district = policy.get_for_user(
        request.user, Organization.objects.filter(kind=Organization.Kind.DISTRICT), policy.POSTING_VIEW, pk=pk
    )
    may_manage = policy.can(request.user, policy.POSTING_MANAGE, district)
    form = RequirementForm(request.POST or None) if may_manage else None
    if request.method == "POST":
        if not may_manage or form is None:
            raise PermissionDenied("Only HR and administrators change role requirements.")
        try:
            if request.POST.get("remove"):
                row = Requirement.objects.select_related("template__organization").filter(
                    pk=request.POST["remove"], template__organization=district
                )
                found = row.first()
                if found is None:
                    raise Http404("No such requirement.")
                services_postings.requirement_remove(actor=request.user, requirement=found)
                messages.success(request, "Requirement removed.")
                return redirect("credentials:role-requirements", pk=district.pk)
            if form.is_valid():
                d = form.cleaned_data
                template = services_postings.role_template_get_or_create(
                    actor=request.user, district=district, role=d["role"]
                )
                services_postings.requirement_add(
                    actor=request.user,
                    template=template,
                    kind=d["kind"],
                    importance=d["importance"],
                    fields=_split(d["fields_text"]),
                    levels=_split(d["levels_text"]),
                    min_stage=d["min_stage"],
                    degree_level=d["degree_level"],
                    years=d["years"],
                    roles=d["roles"],
                )
                messages.success(request, "Requirement added.")
                return redirect("credentials:role-requirements", pk=district.pk)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
    names = eligibility.catalog_names()
    templates = eligibility.templates_by_role(district)
    rows = []
    for role, label in POSITION_ROLES:
        role_template = templates.get(role)
        own = [
            (r, eligibility.Need.of(r).describe(names))
            for r in (role_template.requirements.all() if role_template else [])
        ]
        setting = [n.describe(names) for n in eligibility.setting_needs(district, role, names)]
        if own or setting:
            rows.append({"role": label, "requirements": own, "setting": setting})
    context = {
        "district": district,
        "rows": rows,
        "form": form,
        "codes": sorted((t.kind, t.code, t.name) for t in CredentialType.objects.all()),
        "today": dt.date.today(),
    }
    return _private(render(request, "credentials/postings/role_requirements.html", context))


# --- opening and filling postings -------------------------------------------------------------------
DATE = forms.DateInput(attrs={"type": "date"})


class PostingForm(UswdsFormMixin, forms.Form):
    title = forms.CharField(max_length=200)
    organization = forms.ModelChoiceField(queryset=Organization.objects.none(), label="Where")
    role = forms.ChoiceField(choices=POSITION_ROLES)
    opens_on = forms.DateField(widget=DATE, label="Opens on")
    closes_on = forms.DateField(widget=DATE, required=False, label="Applications close on")
    starts_on = forms.DateField(widget=DATE, required=False, label="The new holder starts on")
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, district: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Organization.objects.filter(
            path__startswith=district.path, kind__in=[Organization.Kind.DISTRICT, Organization.Kind.SCHOOL]
        ).order_by("kind", "name")


@login_required
@require_http_methods(["GET", "POST"])
def posting_add(request: HttpRequest, pk: int) -> HttpResponse:
    district = policy.get_for_user(
        request.user,
        Organization.objects.filter(kind=Organization.Kind.DISTRICT),
        policy.POSTING_MANAGE,
        pk=pk,
    )
    form = PostingForm(request.POST or None, district=district, initial={"opens_on": dt.date.today()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            posting = services_postings.posting_open(
                actor=request.user,
                organization=d["organization"],
                title=d["title"],
                role=d["role"],
                opens_on=d["opens_on"],
                closes_on=d["closes_on"],
                starts_on=d["starts_on"],
                description=d["description"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Posting opened. Its role's requirements apply; add its own below.")
            return redirect(posting.get_absolute_url())
    return _private(
        render(request, "credentials/postings/posting_form.html", {"form": form, "district": district})
    )


@login_required
@require_http_methods(["POST"])
def posting_fill(request: HttpRequest, pk: int) -> HttpResponse:
    posting = policy.get_for_user(
        request.user, Posting.objects.select_related("organization"), policy.POSTING_MANAGE, pk=pk
    )
    person = None
    if request.POST.get("person"):
        person = policy.get_for_user(
            request.user, _candidates(request), COMPLIANCE_VIEW, pk=request.POST["person"]
        )
    try:
        services_postings.posting_fill(actor=request.user, posting=posting, person=person)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Posting {'filled' if person else 'closed without hiring'}.")
    return redirect(posting.get_absolute_url())
