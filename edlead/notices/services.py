"""Writers for notices: `notify` / `notify_many` (what other apps call), reading, preferences, and the
e-mail senders the worker runs (`immediate_send`, `digest_send`).

A notice always lands in the person's inbox. Its e-mail follows the person's preference for its kind
(else the kind's default): at once (a task on commit), in the daily digest, or never. The e-mail goes to
the person's account address; a person without an account gets it at their work e-mail (so a principal
hears of a task before being invited), and keeps the notice in the inbox for when they sign in. A
deactivated account gets no e-mail. Notices are not audited one by one (far too many); preference
changes are.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.utils import timezone

from edlead.core.services import audit_record
from edlead.notices.models import Notice, NoticePreference
from edlead.notices.registry import DELIVERIES, DIGEST, IMMEDIATE, OFF, get_kind
from edlead.people.models import Person, Position

logger = logging.getLogger(__name__)

PRODUCT = "EdLead"
SEND_BATCH = 2000  # notices claimed and e-mailed per transaction


# --- sending a notice --------------------------------------------------------------------------------
@transaction.atomic
def notify(
    *,
    person: Person,
    kind: str,
    subject: str,
    body: str = "",
    link: str = "",
    once_key: str | None = None,
) -> Notice:
    """Tell `person` something: a notice in their inbox, and an e-mail as they chose for `kind`.

    With `once_key`, the person is told once however often this is called (a nightly job run twice):
    a second call returns the first notice and sends nothing. `link` is a path inside EdLead."""
    spec = get_kind(kind)
    if once_key:
        existing = Notice.objects.filter(person=person, once_key=once_key).first()
        if existing is not None:
            return existing
    address = _recipients([person.pk]).get(person.pk, "")
    delivery = _preferences([person.pk], kind).get(person.pk, spec.default_delivery) if address else OFF
    notice = Notice(
        person=person,
        kind=kind,
        subject=subject,
        body=body,
        link=link,
        once_key=once_key or None,
        delivery=delivery,
    )
    notice.full_clean(validate_constraints=False)  # the unique constraint is enforced by the database
    try:
        with transaction.atomic():
            notice.save()
    except IntegrityError:
        if not once_key:
            raise
        return Notice.objects.get(person=person, once_key=once_key)  # a concurrent call won the race
    if delivery == IMMEDIATE:
        transaction.on_commit(lambda: _enqueue_send([notice.pk]))
    return notice


@transaction.atomic
def notify_many(
    *,
    people: Iterable[Person],
    kind: str,
    subject: str,
    body: str = "",
    link: str = "",
    once_key: str | None = None,
) -> int:
    """`notify` for many people at once, in a fixed number of queries; returns how many notices were
    created (people already told under `once_key` are skipped). Immediate e-mails go to the worker as
    one task."""
    spec = get_kind(kind)
    ids = sorted({p.pk for p in people})
    if once_key:
        told = set(
            Notice.objects.filter(person_id__in=ids, once_key=once_key).values_list("person_id", flat=True)
        )
        ids = [i for i in ids if i not in told]
    if not ids:
        return 0
    addresses = _recipients(ids)
    prefs = _preferences(ids, kind)
    template = Notice(kind=kind, subject=subject, body=body, link=link, once_key=once_key or None)
    template.full_clean(exclude=["person"], validate_constraints=False)
    rows = [
        Notice(
            person_id=pid,
            kind=kind,
            subject=subject,
            body=body,
            link=link,
            once_key=once_key or None,
            delivery=prefs.get(pid, spec.default_delivery) if addresses.get(pid) else OFF,
        )
        for pid in ids
    ]
    # ignore_conflicts: a concurrent run that told some of them first wins, nobody is told twice.
    Notice.objects.bulk_create(rows, batch_size=SEND_BATCH, ignore_conflicts=bool(once_key))
    if any(row.delivery == IMMEDIATE for row in rows):
        transaction.on_commit(lambda: _enqueue_send(None))
    return len(rows)


def _enqueue_send(notice_ids: list[int] | None) -> None:
    from edlead.notices.tasks import notices_send_task

    notices_send_task.enqueue(notice_ids=notice_ids)


def _recipients(person_ids: Sequence[int]) -> dict[int, str]:
    """person id → the address their e-mail goes to ('' when none: no address, or a deactivated account)."""
    out: dict[int, str] = {}
    rows = Person.objects.filter(pk__in=person_ids).values_list(
        "pk", "email", "user__email", "user__is_active"
    )
    for pk, own, account, active in rows:
        if account is not None:
            out[pk] = account if active else ""
        else:
            out[pk] = own or ""
    return out


def _preferences(person_ids: Sequence[int], kind: str) -> dict[int, str]:
    return dict(
        NoticePreference.objects.filter(person_id__in=person_ids, kind=kind).values_list(
            "person_id", "delivery"
        )
    )


def _district_names(person_ids: Sequence[int]) -> dict[int, str]:
    """person id → the name of the district they work in now (their primary position's), '' if none."""
    out: dict[int, str] = {}
    rows = (
        Position.objects.current()
        .filter(person_id__in=person_ids)
        .order_by("person_id", "-is_primary", "pk")
        .values_list("person_id", "organization__kind", "organization__name", "organization__district__name")
    )
    for pid, org_kind, org_name, district_name in rows:
        if pid in out:
            continue
        out[pid] = district_name or (org_name if org_kind == "district" else "")
    return out


# --- e-mail ---------------------------------------------------------------------------------------------
def _absolute(path: str) -> str:
    if not path:
        return ""
    return settings.EDLEAD_SITE_URL.rstrip("/") + path


def _footer(district: str) -> str:
    who = f"{PRODUCT} - {district}" if district else PRODUCT
    return (
        f"\n\n-- \n{who}\n"
        f"Your inbox: {_absolute('/inbox/')}\n"
        f"Choose which e-mails {PRODUCT} sends you: {_absolute('/inbox/preferences/')}\n"
    )


def email_subject(subject: str, district: str) -> str:
    # Plain ASCII around the names: a header that needs encoding costs more than the rest of the
    # message (12,000 e-mails: seconds).
    prefix = f"[{PRODUCT} - {district}]" if district else f"[{PRODUCT}]"
    return f"{prefix} {subject}"


@dataclass(frozen=True)
class _Outgoing:
    person_id: int
    subject: str
    body: str
    link: str


def _claim(delivery: str, notice_ids: Sequence[int] | None) -> list[_Outgoing]:
    """Mark up to SEND_BATCH unsent notices of `delivery` as e-mailed and return them. Rows another
    worker is claiming are skipped (`SKIP LOCKED`), so two workers never send the same notice."""
    with transaction.atomic():
        qs = Notice.objects.filter(delivery=delivery, emailed_at__isnull=True)
        if notice_ids is not None:
            qs = qs.filter(pk__in=notice_ids)
        rows = list(
            qs.select_for_update(skip_locked=True)
            .order_by("pk")
            .values_list("pk", "person_id", "subject", "body", "link")[:SEND_BATCH]
        )
        if rows:
            Notice.objects.filter(pk__in=[r[0] for r in rows]).update(emailed_at=timezone.now())
    return [_Outgoing(pid, subject, body, link) for _, pid, subject, body, link in rows]


def _send(messages: list[EmailMessage]) -> None:
    if messages:
        with get_connection() as connection:
            connection.send_messages(messages)


def immediate_send(*, notice_ids: Sequence[int] | None = None) -> int:
    """E-mail every unsent immediate notice (only `notice_ids` when given), one message per notice, in
    batches; returns how many were sent. Run by the worker (`notices_send_task`)."""
    sent = 0
    while batch := _claim(IMMEDIATE, notice_ids):
        person_ids = sorted({o.person_id for o in batch})
        addresses, districts = _recipients(person_ids), _district_names(person_ids)
        messages = []
        for o in batch:
            if not addresses.get(o.person_id):
                continue
            district = districts.get(o.person_id, "")
            text = o.body + (f"\n\nOpen it in {PRODUCT}: {_absolute(o.link)}" if o.link else "")
            messages.append(
                EmailMessage(
                    subject=email_subject(o.subject, district),
                    body=text.strip() + _footer(district),
                    to=[addresses[o.person_id]],
                )
            )
        _send(messages)
        sent += len(messages)
        if notice_ids is not None:
            break  # the named notices fit in one batch or were taken by another worker
    return sent


def digest_send() -> int:
    """Send each person one e-mail listing their unsent digest notices; returns how many e-mails were
    sent. Run daily by the `notices.daily_digest` schedule; a second run the same day finds nothing."""
    sent = 0
    while batch := _claim(DIGEST, None):
        by_person: dict[int, list[_Outgoing]] = {}
        for o in batch:
            by_person.setdefault(o.person_id, []).append(o)
        person_ids = sorted(by_person)
        addresses, districts = _recipients(person_ids), _district_names(person_ids)
        messages = []
        for pid, items in by_person.items():
            if not addresses.get(pid):
                continue
            district = districts.get(pid, "")
            lines = [f"{PRODUCT} has {len(items)} new notice{'s' if len(items) != 1 else ''} for you:", ""]
            for o in items:
                lines.append(f"* {o.subject}" + (f": {_absolute(o.link)}" if o.link else ""))
            count = f"{len(items)} new notice{'s' if len(items) != 1 else ''}"
            messages.append(
                EmailMessage(
                    subject=email_subject(f"Your daily digest: {count}", district),
                    body="\n".join(lines) + _footer(district),
                    to=[addresses[pid]],
                )
            )
        _send(messages)
        sent += len(messages)
    return sent


# --- reading -------------------------------------------------------------------------------------------
def notice_mark_read(*, notice: Notice) -> Notice:
    """Mark one notice read (the caller fetched it as the person's own)."""
    if notice.read_at is None:
        notice.read_at = timezone.now()
        Notice.objects.filter(pk=notice.pk, read_at__isnull=True).update(read_at=notice.read_at)
    return notice


def notices_mark_all_read(*, person: Person) -> int:
    return Notice.objects.filter(person=person, read_at__isnull=True).update(read_at=timezone.now())


# --- preferences -------------------------------------------------------------------------------------
@transaction.atomic
def preference_set(*, person: Person, kind: str, delivery: str, actor: Any) -> NoticePreference:
    """Set how `person` gets notices of `kind` by e-mail; audited (who changed it, from what)."""
    spec = get_kind(kind)
    if delivery not in DELIVERIES:
        raise ValueError(f"Unknown delivery {delivery!r}")
    pref = NoticePreference.objects.select_for_update().filter(person=person, kind=kind).first()
    previous = pref.delivery if pref is not None else spec.default_delivery
    if pref is None:
        pref = NoticePreference(person=person, kind=kind, delivery=delivery)
    pref.delivery = delivery
    pref.full_clean(validate_constraints=False)
    pref.save()
    if previous != delivery:
        audit_record(
            action="notice_preference_changed",
            actor=actor,
            target=person,
            detail={"kind": kind, "from": previous, "to": delivery},
        )
    return pref
