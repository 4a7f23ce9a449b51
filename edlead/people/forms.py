"""Forms that keep a person's record current: end a position, start one, transfer a principal, correct
the person. Each checks that the writer may give (or take away) the access the position carries
(`policy.may_confer_position`), then calls the services, which audit every change. Access that
changes because of a position is also audited as an access change (`audit_access_change`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from edlead.access import policy
from edlead.core.forms import UswdsFormMixin
from edlead.core.models import AuditEvent
from edlead.core.services import audit_record
from edlead.orgs.models import Organization
from edlead.people import services
from edlead.people.models import Person, Position

Role = Position.Role
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def audit_access_change(*, positions: list[Position], actor: Any, granted: bool, via: str) -> int:
    """Record, for each position that gives its holder's account a role by default, that access changed
    because of a position (1 query for the accounts, one event per change)."""
    giving = [p for p in positions if p.role in policy.POSITION_DEFAULT_ROLE]
    if not giving:
        return 0
    accounts = dict(
        get_user_model()
        .objects.filter(person_id__in={p.person_id for p in giving})
        .values_list("person_id", "pk")
    )
    count = 0
    for pos in giving:
        if pos.person_id not in accounts:
            continue  # no account: nobody's access changes
        audit_record(
            action=AuditEvent.Action.ROLE_GRANTED if granted else AuditEvent.Action.ROLE_REVOKED,
            actor=actor,
            target=pos,
            detail={
                "role": policy.POSITION_DEFAULT_ROLE[pos.role],
                "organization": pos.organization_id,
                "user": accounts[pos.person_id],
                "from_position": pos.pk,
                "via": via,
                "reason": f"{'started' if granted else 'ended'} a {pos.get_role_display().lower()} position",
            },
        )
        count += 1
    return count


def editable_organizations(user: Any) -> Any:
    """Open schools, networks and districts where `user` may edit people (for the choices)."""
    return (
        policy.visible_to(user, Organization.objects.filter(closed_on__isnull=True), policy.PERSON_EDIT)
        .exclude(kind=Organization.Kind.STATE)
        .order_by("name")
    )


def _confer_error(user: Any, role: str, org: Organization, person: Person, verb: str) -> str | None:
    if policy.may_confer_position(user, role, org, person_id=person.pk):
        return None
    if person.pk == getattr(user, "person_id", None):
        return f"You cannot {verb} a {Role(role).label.lower()} position of your own: ask someone who manages roles at {org.name}."
    return (
        f"You cannot {verb} a {Role(role).label.lower()} position at {org.name}: it gives access you "
        "could not grant directly. Ask someone who manages roles there."
    )


class PrincipalSuccessionMixin(forms.Form):
    """The confirmation step when a school already has a principal with no end date."""

    user: Any
    person: Person
    others: list[Position]

    previous_left_on = forms.DateField(
        required=False,
        label="The current principal's last day",
        help_text="Only when the school already has a principal with no end date (EdLead asks): the "
        "day they left, before the new principal starts. Or tick co-principal.",
        widget=DATE,
    )
    is_co_principal = forms.BooleanField(
        required=False, label="Co-principal: shares the school's leadership with the current principal"
    )

    def _check_succession(self, school: Organization | None, role: str, starts_on: dt.date | None) -> None:
        if school is None or role != Role.PRINCIPAL or not starts_on:
            if self.cleaned_data.get("is_co_principal") and role != Role.PRINCIPAL:
                self.add_error("is_co_principal", "Only a principal can be a co-principal.")
            return
        others = [
            p for p in services.principals_in_the_way(school, starts_on) if p.person_id != self.person.pk
        ]
        self.others = others
        if not others or self.cleaned_data.get("is_co_principal"):
            return
        left = self.cleaned_data.get("previous_left_on")
        names = ", ".join(
            f"{p.person.display_name} (since {p.starts_on or 'an unknown date'})" for p in others
        )
        if left is None:
            self.add_error(
                "previous_left_on",
                f"{school.name} has a current principal with no end date: {names}. On which day did they "
                "leave? Or tick co-principal if they stay.",
            )
        elif left >= starts_on:
            self.add_error("previous_left_on", "The current principal must leave before the new one starts.")
        else:
            for other in others:
                if not policy.may_confer_position(
                    self.user, Role.PRINCIPAL, school, person_id=other.person_id
                ):
                    self.add_error(
                        "previous_left_on", f"You cannot end {other.person.display_name}'s position."
                    )


class PositionStartForm(UswdsFormMixin, PrincipalSuccessionMixin):
    organization = forms.ModelChoiceField(
        queryset=Organization.objects.none(), label="Where", empty_label="Choose a school or office"
    )
    role = forms.ChoiceField(choices=Role.choices, label="Role")
    title = forms.CharField(
        max_length=120, required=False, label="Local title", help_text="For example: Head of school."
    )
    starts_on = forms.DateField(label="Starts on", widget=DATE)
    fte = forms.DecimalField(
        label="FTE",
        min_value=Decimal("0"),
        max_value=Decimal("1.5"),
        decimal_places=2,
        initial=Decimal("1.00"),
    )
    field_order = ["organization", "role", "title", "starts_on", "fte", "is_co_principal", "previous_left_on"]

    def __init__(self, *args: Any, user: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user, self.person, self.others = user, person, []
        cast(forms.ModelChoiceField, self.fields["organization"]).queryset = editable_organizations(user)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        org, role = data.get("organization"), data.get("role")
        if org is not None and role:
            error = _confer_error(self.user, role, org, self.person, "record")
            if error:
                self.add_error("role", error)
            self._check_succession(org, role, data.get("starts_on"))
        return data

    def save(self) -> Position:
        data = self.cleaned_data
        position = services.position_start(
            person=self.person,
            organization=data["organization"],
            role=data["role"],
            title=data.get("title", ""),
            starts_on=data["starts_on"],
            fte=Decimal("1.00") if data.get("fte") is None else Decimal(data["fte"]),
            is_co_principal=bool(data.get("is_co_principal")),
            end_current_principals_on=None if data.get("is_co_principal") else data.get("previous_left_on"),
            actor=self.user,
        )
        audit_access_change(positions=self.others, actor=self.user, granted=False, via="person form")
        audit_access_change(positions=[position], actor=self.user, granted=True, via="person form")
        return position


class CurrentPositionField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Position) -> str:  # type: ignore[override]
        return f"{obj.display_title}, {obj.organization.name}"


class PositionEndForm(UswdsFormMixin, forms.Form):
    position = CurrentPositionField(queryset=Position.objects.none(), label="Position", empty_label=None)
    ends_on = forms.DateField(label="Last day in the position", widget=DATE, initial=dt.date.today)

    def __init__(self, *args: Any, user: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user, self.person = user, person
        cast(forms.ModelChoiceField, self.fields["position"]).queryset = (
            Position.objects.current().filter(person=person).select_related("organization")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        pos, ends_on = data.get("position"), data.get("ends_on")
        if pos is not None:
            error = _confer_error(self.user, pos.role, pos.organization, self.person, "end")
            if error:
                self.add_error("position", error)
            elif not policy.can(self.user, policy.PERSON_EDIT, pos.organization):
                self.add_error(
                    "position", "This position is outside the organizations where you may edit people."
                )
            if ends_on and pos.starts_on and ends_on < pos.starts_on:
                self.add_error(
                    "ends_on", f"The position started on {pos.starts_on:%B %-d, %Y}: it cannot end before."
                )
        return data

    def save(self) -> Position:
        position = services.position_end(
            position=self.cleaned_data["position"], ends_on=self.cleaned_data["ends_on"], actor=self.user
        )
        audit_access_change(positions=[position], actor=self.user, granted=False, via="person form")
        return position


class PrincipalTransferForm(UswdsFormMixin, PrincipalSuccessionMixin):
    position = CurrentPositionField(
        queryset=Position.objects.none(), label="Principal position", empty_label=None
    )
    to = forms.ModelChoiceField(
        queryset=Organization.objects.none(), label="Transfer to", empty_label="Choose a school"
    )
    on = forms.DateField(label="First day at the new school", widget=DATE)
    field_order = ["position", "to", "on", "is_co_principal", "previous_left_on"]

    def __init__(self, *args: Any, user: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user, self.person, self.others = user, person, []
        cast(forms.ModelChoiceField, self.fields["position"]).queryset = (
            Position.objects.current()
            .filter(person=person, role=Role.PRINCIPAL)
            .select_related("organization")
        )
        cast(forms.ModelChoiceField, self.fields["to"]).queryset = editable_organizations(user).filter(
            kind=Organization.Kind.SCHOOL
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        pos, to, on = data.get("position"), data.get("to"), data.get("on")
        if pos is not None:
            error = _confer_error(self.user, pos.role, pos.organization, self.person, "end")
            if error:
                self.add_error("position", error)
            if to is not None and to.pk == pos.organization_id:
                self.add_error("to", "Choose another school: this is where they are principal now.")
            if on and pos.starts_on and on <= pos.starts_on:
                self.add_error("on", "A transfer date must be after the position started.")
        if to is not None:
            error = _confer_error(self.user, Role.PRINCIPAL, to, self.person, "record")
            if error:
                self.add_error("to", error)
            self._check_succession(to, Role.PRINCIPAL, on)
        return data

    def save(self) -> Position:
        data = self.cleaned_data
        old = data["position"]
        moved = services.position_transfer(
            position=old,
            to=data["to"],
            on=data["on"],
            is_co_principal=bool(data.get("is_co_principal")),
            end_current_principals_on=None if data.get("is_co_principal") else data.get("previous_left_on"),
            actor=self.user,
        )
        audit_access_change(positions=[old, *self.others], actor=self.user, granted=False, via="person form")
        audit_access_change(positions=[moved], actor=self.user, granted=True, via="person form")
        return moved


class PersonCorrectForm(UswdsFormMixin, forms.ModelForm):
    class Meta:
        model = Person
        fields = list(services.PERSON_CORRECTABLE)
        labels = {"mepid": "State staff ID (MEPID)", "local_employee_number": "Employee number"}
        help_texts = {"mepid": "8 digits. Leave empty when not known."}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def validate_unique(self) -> None:
        """One message whether the MEPID is someone else's in this district or elsewhere."""
        try:
            self.instance.validate_unique(exclude=self._get_validation_exclusions())  # type: ignore[attr-defined]
        except ValidationError:
            self.add_error("mepid", "This MEPID cannot be used for this person. Check the number.")

    def save(self, commit: bool = True) -> Person:
        fields = {name: self.cleaned_data[name] for name in services.PERSON_CORRECTABLE}
        person = Person.objects.get(pk=self.instance.pk)  # the stored values, to log what changed
        return services.person_correct(person=person, actor=self.user, **fields)
