"""The inbox over HTTP: one's own notices only, marking read with or without htmx, preferences, and
the header's unread count costing at most one query."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from edlead import notices
from edlead.core.models import AuditEvent
from edlead.notices import services
from edlead.notices.models import Notice, NoticePreference
from edlead.notices.tests.conftest import NEWS, REMINDER, Cast
from edlead.testing import make_user

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _notice(person: Any, subject: str, link: str = "") -> Notice:
    return services.notify(person=person, kind=REMINDER, subject=subject, link=link)


def test_inbox_shows_only_ones_own_notices_unread_first(cast: Cast) -> None:
    read = _notice(cast.principal, "An older read one")
    services.notice_mark_read(notice=read)
    _notice(cast.principal, "Yours, unread")
    _notice(cast.other, "Someone else's secret")
    response = _client(cast.user).get(reverse("notices:notice-list"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Yours, unread" in text and "An older read one" in text
    assert "Someone else&#x27;s secret" not in text and "Someone else's secret" not in text
    assert text.index("Yours, unread") < text.index("An older read one")


def test_marking_someone_elses_notice_read_is_404_and_changes_nothing(cast: Cast) -> None:
    theirs = _notice(cast.other, "Not yours")
    client = _client(cast.user)
    assert client.post(reverse("notices:notice-read", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("notices:notice-open", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_account_without_person_has_an_empty_inbox_and_404s(cast: Cast) -> None:
    loner = make_user(email="loner@example.org", password=None)
    theirs = _notice(cast.other, "Not yours")
    client = _client(loner)
    response = client.get(reverse("notices:notice-list"))
    assert response.status_code == 200
    assert "not linked to a person record" in response.content.decode()
    assert client.post(reverse("notices:notice-read", args=[theirs.pk])).status_code == 404


def test_mark_read_without_javascript_redirects_back_to_the_inbox(cast: Cast) -> None:
    mine = _notice(cast.principal, "Read me")
    response = _client(cast.user).post(reverse("notices:notice-read", args=[mine.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("notices:notice-list")
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_mark_read_with_htmx_returns_the_row_and_tells_the_badge(cast: Cast) -> None:
    mine = _notice(cast.principal, "Read me")
    response = _client(cast.user).post(reverse("notices:notice-read", args=[mine.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Trigger"] == "notices-changed"
    body = response.content.decode()
    assert body.strip().startswith("<li") and f'id="notice-{mine.pk}"' in body
    assert "Unread" not in body and "<html" not in body


def test_open_marks_read_and_follows_the_link_inside_edlead(cast: Cast) -> None:
    mine = _notice(cast.principal, "Your school", link="/organizations/")
    response = _client(cast.user).get(reverse("notices:notice-open", args=[mine.pk]))
    assert response.status_code == 302 and response["Location"] == "/organizations/"
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_mark_all_read_marks_only_ones_own(cast: Cast) -> None:
    for n in range(3):
        _notice(cast.principal, f"Mine {n}")
    theirs = _notice(cast.other, "Theirs")
    response = _client(cast.user).post(reverse("notices:notice-read-all"), follow=True)
    assert "Marked 3 notices read." in response.content.decode()
    assert not Notice.objects.filter(person=cast.principal, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_header_shows_the_unread_count_and_the_badge_refreshes(cast: Cast) -> None:
    for n in range(2):
        _notice(cast.principal, f"Mine {n}")
    client = _client(cast.user)
    home = client.get(reverse("home:home")).content.decode()
    assert 'id="inbox-link"' in home and '2<span class="usa-sr-only"> unread</span>' in home
    services.notices_mark_all_read(person=cast.principal)
    badge = client.get(reverse("notices:inbox-badge")).content.decode()
    assert 'id="inbox-link"' in badge and "unread" not in badge


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url_name", ["home:home", "people:person-list"])
def test_unread_count_adds_at_most_one_query_per_page(cast: Cast, settings: Any, url_name: str) -> None:
    for n in range(5):
        _notice(cast.principal, f"Mine {n}")
    client = _client(cast.user)
    url = reverse(url_name)
    client.get(url)  # warm caches (session, content types)
    with_badge = _queries(client, url)
    templates = copy.deepcopy(settings.TEMPLATES)
    processors = templates[0]["OPTIONS"]["context_processors"]
    processors.remove("edlead.notices.context_processors.inbox")
    settings.TEMPLATES = templates
    without = _queries(client, url)
    assert with_badge - without == 1


def test_preferences_page_saves_changes_and_audits_them(cast: Cast) -> None:
    client = _client(cast.user)
    page = client.get(reverse("notices:preference-edit")).content.decode()
    assert "Test reminder" in page and "Test news" in page
    data = {k.key: k.default_delivery for k in notices.kinds()}
    data[REMINDER] = notices.OFF
    response = client.post(reverse("notices:preference-edit"), data)
    assert response.status_code == 302
    assert NoticePreference.objects.get(person=cast.principal, kind=REMINDER).delivery == notices.OFF
    assert not NoticePreference.objects.filter(person=cast.principal, kind=NEWS).exists()  # unchanged
    assert AuditEvent.objects.filter(action="notice_preference_changed", actor=cast.user).count() == 1


def test_preferences_refuse_an_unknown_choice(cast: Cast) -> None:
    data = {k.key: k.default_delivery for k in notices.kinds()}
    data[REMINDER] = "fax"
    response = _client(cast.user).post(reverse("notices:preference-edit"), data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not NoticePreference.objects.exists()


def test_inbox_needs_sign_in(db: Any) -> None:
    response = Client().get(reverse("notices:notice-list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert Client().get(reverse("notices:inbox-badge")).status_code == 204  # htmx swaps nothing
