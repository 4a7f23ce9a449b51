"""The notification service: inbox always, e-mail as each person chose, each notice once."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from edlead import notices
from edlead.core.models import AuditEvent
from edlead.notices import selectors, services
from edlead.notices.models import Notice
from edlead.notices.tests.conftest import NEWS, REMINDER, Cast
from edlead.testing import make_person, make_user

pytestmark = pytest.mark.django_db


def _notify(person: Any, **kw: Any) -> Notice:
    fields = {
        "kind": REMINDER,
        "subject": "Observation due Friday",
        "body": "Ms. Ortiz, room 12.",
        "link": "/",
    }
    fields.update(kw)
    return services.notify(person=person, **fields)


def test_notify_puts_it_in_the_inbox_and_emails_at_once_with_product_and_district(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        notice = _notify(cast.principal)
    assert list(selectors.inbox_for(cast.principal.pk)) == [notice]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["pat@riverton.example"]  # the account's address, not the personnel one
    assert message.subject == "[EdLead - Riverton Public Schools] Observation due Friday"
    assert "Ms. Ortiz, room 12." in message.body
    assert "EdLead - Riverton Public Schools" in message.body  # the footer
    assert "http://127.0.0.1:8000/inbox/preferences/" in message.body
    notice.refresh_from_db()
    assert notice.emailed_at is not None


def test_once_key_tells_a_person_once_however_often_it_is_called(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first = _notify(cast.principal, once_key="obs-due:2026-12-04")
        second = _notify(cast.principal, once_key="obs-due:2026-12-04", subject="changed text")
    assert second.pk == first.pk
    assert second.subject == "Observation due Friday"
    assert Notice.objects.filter(person=cast.principal).count() == 1
    assert len(mail.outbox) == 1
    # The same key for another person is another notice.
    with django_capture_on_commit_callbacks(execute=True):
        _notify(cast.other, once_key="obs-due:2026-12-04")
    assert Notice.objects.count() == 2
    assert len(mail.outbox) == 2


def test_preference_off_keeps_the_notice_in_the_inbox_and_sends_no_email(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    services.preference_set(person=cast.principal, kind=REMINDER, delivery=notices.OFF, actor=cast.user)
    with django_capture_on_commit_callbacks(execute=True):
        notice = _notify(cast.principal)
    assert notice.delivery == notices.OFF
    assert selectors.unread_count(cast.principal.pk) == 1
    assert mail.outbox == []
    assert services.immediate_send() == 0 and services.digest_send() == 0
    assert mail.outbox == []


def test_digest_sends_each_person_one_email_with_all_their_notices_once(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            _notify(cast.principal, kind=NEWS, subject=f"News {n}", link=f"/news/{n}/")
        _notify(cast.other, kind=NEWS, subject="News for Olly")
    assert mail.outbox == []  # digest kinds wait for the daily job
    assert services.digest_send() == 2
    by_to = {m.to[0]: m for m in mail.outbox}
    pat = by_to["pat@riverton.example"]
    assert pat.subject == "[EdLead - Riverton Public Schools] Your daily digest: 3 new notices"
    for n in range(3):
        assert f"* News {n}: http://127.0.0.1:8000/news/{n}/" in pat.body
    assert "News for Olly" not in pat.body
    assert "1 new notice" in by_to["olly@riverton.example"].subject
    # The job run a second time the same day finds nothing to send.
    assert services.digest_send() == 0
    assert len(mail.outbox) == 2


def test_person_without_account_keeps_the_notice_for_when_they_get_one(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    nobody = make_person("Nico", "Noaccount")  # no account, no work e-mail
    with django_capture_on_commit_callbacks(execute=True):
        notice = _notify(nobody)
    assert notice.delivery == notices.OFF
    assert mail.outbox == []
    user = make_user(person=nobody, password=None)
    assert list(selectors.inbox_for(user.person_id)) == [notice]


def test_person_without_account_is_emailed_at_their_work_address(
    db: Any, django_capture_on_commit_callbacks: Any
) -> None:
    invited_soon = make_person("Ira", "Invitee", email="ira@beta.example")
    with django_capture_on_commit_callbacks(execute=True):
        _notify(invited_soon)
    assert [m.to for m in mail.outbox] == [["ira@beta.example"]]
    assert mail.outbox[0].subject.startswith("[EdLead] ")  # no current position: no district to name


def test_deactivated_account_gets_no_email(cast: Cast, django_capture_on_commit_callbacks: Any) -> None:
    cast.user.is_active = False
    cast.user.save()
    with django_capture_on_commit_callbacks(execute=True):
        _notify(cast.principal)
    assert mail.outbox == []
    assert selectors.unread_count(cast.principal.pk) == 1


def test_unknown_kind_and_outside_link_are_refused(cast: Cast) -> None:
    with pytest.raises(ValueError, match="Unknown notice kind"):
        _notify(cast.principal, kind="nobody.declared.this")
    with pytest.raises(ValidationError):
        _notify(cast.principal, link="https://evil.example/")
    with pytest.raises(ValidationError):
        _notify(cast.principal, link="//evil.example/")
    assert Notice.objects.count() == 0


def test_notify_many_tells_each_once_in_a_fixed_number_of_queries(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    few = [make_person("F", f"Few{i}", email=f"few{i}@x.example") for i in range(3)]
    many = [make_person("M", f"Many{i}", email=f"many{i}@x.example") for i in range(30)]
    counts = []
    for group, key in ((few, "a"), (many, "b")):
        with CaptureQueriesContext(connection) as captured:
            created = services.notify_many(people=group, kind=REMINDER, subject="Hello", once_key=key)
        assert created == len(group)
        counts.append(len(captured))
    assert counts[0] == counts[1]
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            services.notify_many(people=[*many, cast.principal], kind=REMINDER, subject="Hi", once_key="b")
            == 1
        )
    # Every immediate notice not yet e-mailed goes out once, whoever queued it.
    assert len(mail.outbox) == 34
    assert services.immediate_send() == 0
    assert services.notify_many(people=many, kind=REMINDER, subject="Hello", once_key="b") == 0


def test_notify_many_follows_each_persons_preference(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    services.preference_set(person=cast.other, kind=REMINDER, delivery=notices.DIGEST, actor=cast.other_user)
    with django_capture_on_commit_callbacks(execute=True):
        services.notify_many(people=[cast.principal, cast.other], kind=REMINDER, subject="Staff meeting")
    assert [m.to for m in mail.outbox] == [["pat@riverton.example"]]
    assert services.digest_send() == 1
    assert mail.outbox[1].to == ["olly@riverton.example"]


def test_preference_changes_are_audited_and_notices_are_not(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    before = AuditEvent.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        _notify(cast.principal)
    assert AuditEvent.objects.count() == before
    services.preference_set(person=cast.principal, kind=REMINDER, delivery=notices.DIGEST, actor=cast.user)
    services.preference_set(person=cast.principal, kind=REMINDER, delivery=notices.DIGEST, actor=cast.user)
    event = AuditEvent.objects.get(action="notice_preference_changed")
    assert event.action == "notice_preference_changed"
    assert event.actor == cast.user
    assert event.detail == {"kind": REMINDER, "from": "immediate", "to": "digest"}
    assert selectors.preferences_for(cast.principal)[REMINDER] == notices.DIGEST
    with pytest.raises(ValueError):
        services.preference_set(person=cast.principal, kind=REMINDER, delivery="sms", actor=cast.user)


def test_register_kind_refuses_an_unknown_delivery() -> None:
    with pytest.raises(ValueError):
        notices.register_kind("tests.bad", "Bad", "carrier-pigeon")
