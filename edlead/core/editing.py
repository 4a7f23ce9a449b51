"""Safe editing: the one pattern for every form that people fill over time.

Three parts, used together or alone:

(a) **Versions.** A record that two people may edit carries `VersionedModel` (a `version` number, who
    saved it last and when). A service saves through `save_versioned(...)` with the version the form
    was drawn from; a stale version raises `EditConflict` carrying the saved and the submitted values,
    so the page can show both ("Ana Ruiz saved this at 10:42 — theirs / yours") and nothing is lost.

(b) **Autosave.** A form posts itself with htmx a second after typing stops (`AUTOSAVE_TRIGGER`); the
    view answers with `templates/includes/_autosave.html` (the "Saved 10:42" status for an aria-live
    region, the new version and the conflict box swapped out of band). No script of our own: htmx
    attributes only, so the strict CSP holds.

(c) **Submit, take back, act.** A workflow record has a `status`; each transition is one service that
    calls `transition(...)`: it locks the row, checks the allowed from-states (refusing with who did
    what when), bumps the version and appends a `WorkflowEvent` row, which also draws the timeline.

The worked example is the correction request (`edlead/people/requests.py`); the district settings page
(`edlead/config`) uses (a) and (b).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.conf import settings
from django.db import models
from django.utils import timezone

from edlead.core.errors import ApplicationError

# The htmx trigger of an autosaving form: a second after typing stops (a select's choice is an input
# too), and on submit. Not on `change`: leaving a field would post again, and a post in flight when the
# conflict box's "Keep mine" is pressed would replace that button before its own post goes out.
AUTOSAVE_TRIGGER = "input changed delay:1s, submit"
# A checkbox's value never changes ("on"), so `changed` would let only its first toggle through.
AUTOSAVE_TRIGGER_TOGGLE = "change, submit"


def user_label(user: Any) -> str:
    """How a person who saved something is named to others: their name, else their e-mail."""
    if user is None:
        return "Someone"
    person = getattr(user, "person", None)
    return person.display_name if person is not None else str(getattr(user, "email", "") or "Someone")


class VersionedModel(models.Model):
    """A record people edit over time: every save through `save_versioned` (or `transition`) adds one
    to `version`, so a form drawn from an older version is refused instead of overwriting."""

    version = models.PositiveIntegerField(default=1, help_text="Goes up by one with every save.")
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def edited_by_label(self) -> str:
        return user_label(self.edited_by)

    def mark_edited(self, actor: Any) -> None:
        self.version = (self.version or 0) + 1
        self.edited_by = actor if getattr(actor, "is_authenticated", False) else None
        self.edited_at = timezone.now()


@dataclass(frozen=True)
class ConflictRow:
    name: str
    label: str
    theirs: str
    yours: str


@dataclass(eq=False)
class EditConflict(ApplicationError):
    """Someone saved the record after the form was drawn. `saved` holds the values now in the database,
    `submitted` the ones refused; `version` is the version to resubmit with to keep one's own."""

    saved: dict[str, Any]
    submitted: dict[str, Any]
    version: int
    saved_by: str = "Someone"
    saved_at: dt.datetime | None = None
    labels: dict[str, str] = field(default_factory=dict)
    formatter: Callable[[str, Any], str] | None = None

    def __post_init__(self) -> None:
        when = f" at {timezone.localtime(self.saved_at):%H:%M}" if self.saved_at else ""
        ApplicationError.__init__(
            self,
            f"{self.saved_by} saved this{when}, after you opened it. Your changes were not saved: "
            "compare them with the saved version and choose which to keep.",
        )

    def __str__(self) -> str:
        return self.message

    @property
    def rows(self) -> list[ConflictRow]:
        """The fields whose saved and submitted values differ, for the side-by-side view."""
        show = self.formatter or (lambda _name, value: _display(value))
        return [
            ConflictRow(
                name,
                self.labels.get(name, name.replace("_", " ").capitalize()),
                show(name, theirs),
                show(name, self.submitted[name]),
            )
            for name, theirs in self.saved.items()
            if name in self.submitted and theirs != self.submitted[name]
        ]


def _display(value: Any) -> str:
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) or "(none)"
    return str(value)


class TransitionRefused(ApplicationError):
    """A workflow step asked of a record in a state that does not allow it (taken back, already
    decided); the message says who moved it and when."""


def check_version(
    current: VersionedModel | None,
    expected: int,
    *,
    saved: Mapping[str, Any],
    submitted: Mapping[str, Any],
    labels: Mapping[str, str] | None = None,
    formatter: Callable[[str, Any], str] | None = None,
) -> None:
    """Raise `EditConflict` when `current` (None: no row yet, version 0) moved past `expected`, unless
    what was submitted is what is saved (then nobody loses anything)."""
    version = current.version if current is not None else 0
    if version == expected or dict(saved) == dict(submitted):
        return
    raise conflict_with(current, saved=saved, submitted=submitted, labels=labels, formatter=formatter)


def conflict_with(
    current: VersionedModel | None,
    *,
    saved: Mapping[str, Any],
    submitted: Mapping[str, Any],
    labels: Mapping[str, str] | None = None,
    formatter: Callable[[str, Any], str] | None = None,
) -> EditConflict:
    """The conflict to raise when `current` (None: no row yet) is not the version a form came from."""
    return EditConflict(
        saved=dict(saved),
        submitted=dict(submitted),
        version=current.version if current is not None else 0,
        saved_by=user_label(current.edited_by) if current is not None else "Someone",
        saved_at=current.edited_at if current is not None else None,
        labels=dict(labels or {}),
        formatter=formatter,
    )


V = TypeVar("V", bound=VersionedModel)


def lock(obj: V) -> V:
    """The row again, locked for the rest of the transaction (call inside `transaction.atomic`)."""
    return (
        type(obj)._default_manager.select_for_update(of=("self",)).select_related("edited_by").get(pk=obj.pk)
    )


def save_versioned(
    *,
    obj: V,
    expected_version: int,
    changes: Mapping[str, Any],
    actor: Any,
    labels: Mapping[str, str] | None = None,
) -> V:
    """Apply `changes` to `obj` if nobody saved it since `expected_version`; else `EditConflict`.

    Call from a service inside its transaction; it locks the row, validates (`full_clean`) and
    saves. Changing nothing is not a save (the version stays)."""
    current = lock(obj)
    saved = {name: getattr(current, name) for name in changes}
    check_version(current, expected_version, saved=saved, submitted=changes, labels=labels)
    if saved == dict(changes):
        return current
    for name, value in changes.items():
        setattr(current, name, value)
    current.mark_edited(actor)
    current.full_clean()
    current.save()
    return current


# --- (c) workflows: status transitions with an append-only event log --------------------------------
class WorkflowEvent(models.Model):
    """One step of a workflow record: who moved it from which status to which, when, with what note.
    Concrete subclasses add `record = models.ForeignKey(<Model>, related_name="events", ...)`.
    Append-only, like the audit log: the timeline a person reads must not change afterwards."""

    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=255, blank=True)
    action = models.CharField(max_length=40)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    note = models.TextField(blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise RuntimeError("Workflow events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("Workflow events are append-only")

    @property
    def action_label(self) -> str:
        return self.action.replace("_", " ").capitalize()


def transition(
    *,
    obj: V,
    action: str,
    to: str,
    allowed_from: Iterable[str],
    actor: Any,
    event_model: type[WorkflowEvent],
    expected_version: int | None = None,
    note: str = "",
    changes: Mapping[str, Any] | None = None,
    status_field: str = "status",
) -> V:
    """Move `obj` to status `to`: lock it, refuse unless its status is one of `allowed_from`
    (`TransitionRefused`, naming who moved it last and when), refuse a stale `expected_version`
    (`EditConflict`), apply `changes`, bump the version and append one event. Call from a service
    inside its transaction; the service writes the audit event."""
    current = lock(obj)
    status = getattr(current, status_field)
    allowed = set(allowed_from)
    if status not in allowed:
        label = current._meta.get_field(status_field).flatchoices  # type: ignore[union-attr]
        names = dict(label)
        when = f" at {timezone.localtime(current.edited_at):%H:%M on %d %b %Y}" if current.edited_at else ""
        raise TransitionRefused(
            f"This can no longer be {action.replace('_', ' ')}: it is now “{names.get(status, status)}” "
            f"(changed by {user_label(current.edited_by)}{when})."
        )
    if expected_version is not None and current.version != expected_version:
        submitted = dict(changes or {})
        raise conflict_with(
            current, saved={name: getattr(current, name) for name in submitted}, submitted=submitted
        )
    for name, value in (changes or {}).items():
        setattr(current, name, value)
    setattr(current, status_field, to)
    current.mark_edited(actor)
    current.full_clean()
    current.save()
    event_model.objects.create(  # type: ignore[attr-defined]
        record=current,
        actor=current.edited_by,
        actor_label=user_label(actor) if current.edited_by else "system",
        action=action,
        from_status=status,
        to_status=to,
        note=note,
    )
    return current


# --- (b) autosave: what a view answers ---------------------------------------------------------------
@dataclass
class Autosave:
    """The answer to one autosave post, drawn by `templates/includes/_autosave.html`. `slug` names the
    form's status region (`<slug>-status`, the hx-target), its version input (`<slug>-version`) and
    its conflict box (`<slug>-conflict`)."""

    slug: str
    version: int
    saved_at: dt.datetime | None = None
    error: str = ""
    conflict: EditConflict | None = None
    reload_url: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def context(self) -> dict[str, Any]:
        return {"autosave": self}

    @property
    def ok(self) -> bool:
        return not (self.conflict or self.error)

    def attempt(self, form: Any, save: Callable[[dict[str, Any]], Any], page_url: str) -> None:
        """Fill this answer from one autosave post: when `form` is valid, `save(cleaned_data)` runs the
        service and returns the saved record; a conflict, a refusal or the form's errors become the
        status line (`page_url` is the page to load again to take theirs)."""
        self.reload_url = self.reload_url or f"{page_url}?saved={self.version}"
        if not form.is_valid():
            self.error = "; ".join(
                f"{form.fields[f].label if f in form.fields else 'Form'}: {' '.join(str(x) for x in e)}"
                for f, e in form.errors.items()
            )
            return
        try:
            saved = save(form.cleaned_data)
        except EditConflict as conflict:
            self.conflict = conflict
            # A new query string, so the link loads the page again (a bare #fragment would not).
            self.reload_url = f"{page_url}?saved={conflict.version}"
        except ApplicationError as exc:
            self.error = exc.message
        else:
            self.version, self.saved_at = saved.version, saved.edited_at


def expected_version(data: Mapping[str, Any], name: str = "version") -> int:
    """The version a posted form was drawn from; `keep_mine` (the conflict box's button) carries the
    saved version, to overwrite it knowingly."""
    raw = data.get("keep_mine") or data.get(name) or "0"
    try:
        return int(str(raw))
    except ValueError:
        return -1  # never a real version: the save is refused as a conflict
