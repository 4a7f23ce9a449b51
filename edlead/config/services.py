"""The only writers of settings: set and reset a value, version-checked and audited with old and new."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from edlead.config.models import SettingValue
from edlead.config.registry import DISTRICT, STATE, definition
from edlead.config.selectors import forget_settings, settings_for
from edlead.core import editing
from edlead.core.errors import ApplicationError
from edlead.core.services import audit_record
from edlead.orgs.models import Organization

SETTING_CHANGED = "setting_changed"
AUDIT_VERBS = {SETTING_CHANGED: "Setting changed"}


def _check_level(organization: Organization, key: str) -> None:
    d = definition(key)
    if organization.kind == Organization.Kind.STATE:
        return
    if organization.kind != Organization.Kind.DISTRICT:
        raise ApplicationError("Settings are kept for a district or for the state.")
    if d.level == STATE:
        raise ApplicationError(f"“{d.label}” is the state's rule: a district cannot change it.")


def _write(
    *, organization: Organization, key: str, stored: Any, overridden: bool, expected_version: int, actor: Any
) -> SettingValue:
    """Lock the organization (so two first saves of one setting meet here), check the version, write,
    audit old → new."""
    d = definition(key)
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    forget_settings(organization)
    before = settings_for(organization)[key]
    row = (
        SettingValue.objects.select_for_update(of=("self",))
        .select_related("edited_by__person")
        .filter(organization=organization, key=key)
        .first()
    )
    editing.check_version(
        row,
        expected_version,
        saved={"value": before.stored, "overridden": before.overridden},
        submitted={"value": stored if overridden else before.inherited, "overridden": overridden},
        labels={"value": d.label, "overridden": "Own value"},
        formatter=lambda name, value: d.display(value) if name == "value" else ("Yes" if value else "No"),
    )
    if row is not None and row.overridden == overridden and (not overridden or row.value == stored):
        return row  # nothing changes: not a save
    if row is None:
        row = SettingValue(organization=organization, key=key, version=0)
    row.value = stored if overridden else None
    row.overridden = overridden
    row.mark_edited(actor)
    row.full_clean()
    row.save()
    forget_settings(organization)
    after = settings_for(organization)[key]
    audit_record(
        action=SETTING_CHANGED,
        actor=actor,
        target=organization,
        target_label=f"{organization.name}: {d.label}",
        detail={
            "key": key,
            "level": STATE if organization.kind == Organization.Kind.STATE else DISTRICT,
            "old": before.stored,
            "old_source": before.source,
            "new": after.stored,
            "new_source": after.source,
            "reset": not overridden,
        },
    )
    return row


@transaction.atomic
def setting_set(
    *, organization: Organization, key: str, value: Any, expected_version: int, actor: Any
) -> SettingValue:
    """Give `organization` its own value for `key` (text from a form, or a Python value). Refuses an
    invalid value (`ValidationError`), a stale version (`EditConflict`), a state rule on a district."""
    _check_level(organization, key)
    stored = definition(key).parse(value)
    return _write(
        organization=organization,
        key=key,
        stored=stored,
        overridden=True,
        expected_version=expected_version,
        actor=actor,
    )


@transaction.atomic
def setting_reset(
    *, organization: Organization, key: str, expected_version: int, actor: Any
) -> SettingValue | None:
    """Drop `organization`'s own value: it inherits the state's value or the code default again."""
    _check_level(organization, key)
    if not SettingValue.objects.filter(organization=organization, key=key, overridden=True).exists():
        return None
    return _write(
        organization=organization,
        key=key,
        stored=None,
        overridden=False,
        expected_version=expected_version,
        actor=actor,
    )
