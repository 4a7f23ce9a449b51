"""A district's departments and their responders.

The departments are the district setting `people.departments` (declared by `edlead.people`); a district
that has not listed any works with the five of the field (`DEFAULT_DEPARTMENTS`). A department's group
key names its district as well ("department:<district pk>:<name>"), because two districts both have a
"Special Education": a responder for one must never read the other's requests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.text import slugify

from edlead import config
from edlead.access.models import Relationship
from edlead.orgs.models import Organization

SETTING = "people.departments"
DEFAULT_DEPARTMENTS = (
    "Teaching and Learning",
    "Multilingual Education",
    "Special Education",
    "Educational Technology",
    "Positive Youth Development",
)
PREFIX = "department"


@dataclass(frozen=True)
class Department:
    district: Organization
    name: str

    @property
    def group_key(self) -> str:
        return group_key(self.district.pk, self.name)

    @property
    def slug(self) -> str:
        return slugify(self.name) or "department"

    def get_absolute_url(self) -> str:
        return reverse("support:department-detail", args=[self.district.pk, self.slug])


def group_key(district_id: int, name: str) -> str:
    return f"{PREFIX}:{district_id}:{name}"


def parse_group_key(key: str) -> tuple[int, str] | None:
    """(district pk, department name) of a department key; None for any other key."""
    prefix, _, rest = key.partition(":")
    pk, _, name = rest.partition(":")
    if prefix != PREFIX or not pk.isdigit() or not name:
        return None
    return int(pk), name


def names(district: Organization) -> list[str]:
    """The district's departments, in its order (the setting, else the five defaults)."""
    listed = [str(n).strip() for n in (config.setting(district, SETTING) or []) if str(n).strip()]
    return listed or list(DEFAULT_DEPARTMENTS)


def of_district(district: Organization) -> list[Department]:
    return [Department(district, name) for name in names(district)]


def find(district: Organization, name_or_slug: str) -> Department | None:
    """The district's department with this name or slug, else None."""
    wanted = name_or_slug.strip()
    for dept in of_district(district):
        if dept.name == wanted or dept.slug == wanted or dept.name.lower() == wanted.lower():
            return dept
    return None


def responder_relationships(keys: Iterable[str], on: dt.date | None = None) -> QuerySet[Relationship]:
    """Responder relationships in force for these departments, with their holders (one query)."""
    return (
        Relationship.objects.active(on)
        .filter(kind=Relationship.Kind.RESPONDER, group__in=list(keys))
        .select_related("holder")
        .order_by("holder__last_name", "holder__first_name", "pk")
    )


def is_responder(person_id: int | None, key: str, on: dt.date | None = None) -> bool:
    if not person_id:
        return False
    return responder_relationships([key], on).filter(holder_id=person_id).exists()


def group_names(keys: list[str]) -> dict[str, tuple[str, str]]:
    """The "department" resolver of `edlead.access.groups`: each key's name (with its district) and its
    department page (one query)."""
    parsed = {key: parse_group_key(key) for key in keys}
    ids = {p[0] for p in parsed.values() if p}
    districts = {o.pk: o for o in Organization.objects.filter(pk__in=ids, kind=Organization.Kind.DISTRICT)}
    named: dict[str, tuple[str, str]] = {}
    for key, found in parsed.items():
        if found is None or found[0] not in districts:
            continue
        dept = Department(districts[found[0]], found[1])
        named[key] = (f"{dept.name}, {dept.district.name}", dept.get_absolute_url())
    return named


def user_districts(user: object) -> QuerySet[Organization]:
    """Districts in which the user reads department pages: those of their grants, and those they
    answer for (a responder may hold no role)."""
    from edlead.access import policy

    paths = {g.district_path for g in policy.effective_grants(user)}
    pid = getattr(user, "person_id", None)
    ids: set[int] = set()
    if pid:
        for key in (
            Relationship.objects.active()
            .filter(holder_id=pid, kind=Relationship.Kind.RESPONDER, group__startswith=f"{PREFIX}:")
            .values_list("group", flat=True)
        ):
            parsed = parse_group_key(key)
            if parsed:
                ids.add(parsed[0])
    districts = Organization.objects.districts()
    return districts.filter(pk__in=ids) | districts.filter(path__in=paths)
