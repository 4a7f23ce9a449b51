"""Readers of settings: the effective value of every declared setting for an organization, in one
query, with where it comes from."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from edlead.config.models import SettingValue
from edlead.config.registry import DISTRICT, STATE, Definition, definition, definitions
from edlead.orgs.models import Organization

DEFAULT = "default"
SOURCE_LABELS = {DEFAULT: "Code default", STATE: "State", DISTRICT: "District"}
_CACHE_ATTR = "_edlead_settings"


@dataclass(frozen=True)
class Effective:
    """One setting as it applies to an organization: the value, where it comes from, and what it
    would be without the organization's own value (what a reset returns to)."""

    definition: Definition
    stored: Any
    source: str
    inherited: Any
    inherited_source: str
    own: SettingValue | None  # the organization's own row, overridden or not (its version guards edits)

    @property
    def value(self) -> Any:
        return self.definition.python(self.stored)

    @property
    def display(self) -> str:
        return self.definition.display(self.stored)

    @property
    def inherited_display(self) -> str:
        return self.definition.display(self.inherited)

    @property
    def source_label(self) -> str:
        return SOURCE_LABELS[self.source]

    @property
    def inherited_source_label(self) -> str:
        return SOURCE_LABELS[self.inherited_source]

    @property
    def version(self) -> int:
        return self.own.version if self.own is not None else 0

    @property
    def overridden(self) -> bool:
        return self.own is not None and self.own.overridden


def _ids(org: Organization) -> tuple[int | None, int | None]:
    """(district id, state id) of any node, from its path: no query."""
    parts = [int(p) for p in org.path.strip("/").split("/") if p]
    state_id = parts[0] if parts else (org.pk if org.kind == Organization.Kind.STATE else None)
    if org.kind == Organization.Kind.STATE:
        return None, org.pk
    if org.kind == Organization.Kind.DISTRICT:
        return org.pk, state_id
    return org.district_id or (parts[1] if len(parts) > 1 else None), state_id


def _rows(ids: set[int]) -> dict[tuple[int, str], SettingValue]:
    """The stored rows of these organizations, by (organization, key) (one query)."""
    rows = (
        list(SettingValue.objects.filter(organization_id__in=ids).select_related("edited_by__person"))
        if ids
        else []
    )
    return {(r.organization_id, r.key): r for r in rows}


def _resolve(
    district_id: int | None,
    state_id: int | None,
    *,
    own_id: int | None,
    by_org: dict[tuple[int, str], SettingValue] | None = None,
) -> dict[str, Effective]:
    if by_org is None:
        by_org = _rows({i for i in (district_id, state_id) if i is not None})
    result: dict[str, Effective] = {}
    for d in definitions():
        stored, source = d.default, DEFAULT
        state_row = by_org.get((state_id, d.key)) if state_id is not None else None
        if state_row is not None and state_row.overridden:
            stored, source = state_row.value, STATE
        inherited, inherited_source = stored, source
        district_row = by_org.get((district_id, d.key)) if district_id is not None else None
        if d.level == DISTRICT and district_row is not None and district_row.overridden:
            stored, source = district_row.value, DISTRICT
        if own_id == district_id:
            own = district_row
        else:
            own = state_row
            inherited, inherited_source = d.default, DEFAULT
        result[d.key] = Effective(d, stored, source, inherited, inherited_source, own)
    return result


def settings_for(org: Organization) -> dict[str, Effective]:
    """Every declared setting as it applies to `org` (one query, then cached on the object)."""
    cached = getattr(org, _CACHE_ATTR, None)
    if cached is None:
        district_id, state_id = _ids(org)
        own_id = org.pk if org.kind in (Organization.Kind.STATE, Organization.Kind.DISTRICT) else district_id
        cached = _resolve(district_id, state_id, own_id=own_id)
        setattr(org, _CACHE_ATTR, cached)
    return cached


def prefetch_settings(orgs: Iterable[Organization]) -> None:
    """Resolve and cache the settings of many organizations at once (one query for all of them), so a
    list over hundreds of districts does not read them one district at a time."""
    todo: dict[int, Organization] = {}
    for org in orgs:
        if getattr(org, _CACHE_ATTR, None) is None:
            todo.setdefault(id(org), org)
    if not todo:
        return
    ids: set[int] = set()
    for org in todo.values():
        ids.update(i for i in _ids(org) if i is not None)
    by_org = _rows(ids)
    for org in todo.values():
        district_id, state_id = _ids(org)
        own_id = org.pk if org.kind in (Organization.Kind.STATE, Organization.Kind.DISTRICT) else district_id
        setattr(org, _CACHE_ATTR, _resolve(district_id, state_id, own_id=own_id, by_org=by_org))


def forget_settings(org: Organization) -> None:
    """Drop the cache on `org` after a change."""
    if hasattr(org, _CACHE_ATTR):
        delattr(org, _CACHE_ATTR)


def setting(org: Organization | None, key: str) -> Any:
    if org is None:
        return definition(key).python(definition(key).default)
    return settings_for(org)[key].value


def setting_for_user(user: Any, key: str) -> Any:
    """See `edlead.config.setting_for_user`."""
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        from edlead.access import policy

        districts: set[int] = set()
        states: set[int] = set()
        for g in policy.effective_grants(user):
            parts = [int(p) for p in g.path.strip("/").split("/") if p]
            if parts:
                states.add(parts[0])
            if len(parts) > 1:
                districts.add(parts[1])
            elif parts:
                districts.add(-1)  # a state-level grant: the state's value
        state_id = next(iter(states)) if len(states) == 1 else None
        district_id = next(iter(districts)) if len(districts) == 1 and -1 not in districts else None
        cached = _resolve(district_id, state_id, own_id=district_id)
        setattr(user, _CACHE_ATTR, cached)
    return cached[key].value
