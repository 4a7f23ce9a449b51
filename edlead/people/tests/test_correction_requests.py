"""Correction requests: the safe-editing workflow end to end — a draft that autosaves, a send step,
take-back until HR acts, two HR users at once, every step audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from edlead.access.models import RoleGrant
from edlead.core import editing, workqueue
from edlead.core.errors import ApplicationError
from edlead.core.models import AuditEvent
from edlead.people import requests as corrections
from edlead.people.models import CorrectionRequest, CorrectionRequestEvent
from edlead.testing import make_person, make_user

HX = {"HX-Request": "true"}
Status = CorrectionRequest.Status


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _queue(user: Any) -> list[Any]:
    """The user's work-queue entries from correction requests (other apps add their own)."""
    return [e for e in workqueue.items_for(user) if e.item.source == "corrections"]


def _fresh(req: CorrectionRequest) -> CorrectionRequest:
    return CorrectionRequest.objects.get(pk=req.pk)


def _draft_data(req: CorrectionRequest, version: int, **changes: str) -> dict[str, str]:
    data = {name: getattr(req, name) for name in corrections.DRAFT_FIELDS}
    data.update(changes)
    data["version"] = str(version)
    return data


@pytest.fixture
def principal(world: Any) -> Any:
    return world.users["school_leader"]  # Pat Principal-One, principal of Oak Elementary in Alpha


@pytest.fixture
def sent(world: Any, principal: Any) -> CorrectionRequest:
    req = corrections.correction_request_start(actor=principal)
    req = corrections.correction_request_save(
        req=req, expected_version=req.version, actor=principal, last_name="Principal-Uno", note="Spelling"
    )
    return corrections.correction_request_submit(req=req, expected_version=req.version, actor=principal)


def test_a_person_starts_one_draft_filled_from_their_record(world: Any, principal: Any) -> None:
    req = corrections.correction_request_start(actor=principal)
    assert (req.status, req.first_name, req.last_name, req.district) == (
        Status.DRAFT,
        "Pat",
        "Principal-One",
        world.orgs["A"],
    )
    assert corrections.correction_request_start(actor=principal).pk == req.pk  # one open request
    assert [e.action for e in req.events.all()] == ["started"]
    assert AuditEvent.objects.filter(action="correction_started", target_id=str(req.pk)).exists()
    assert _client(world.users["hr"]).get(req.get_absolute_url()).status_code == 404  # HR sees it once sent
    with pytest.raises(ApplicationError, match="not linked"):
        corrections.correction_request_start(actor=world.users["hr"])


def test_autosave_saves_the_draft_and_answers_with_the_status(world: Any, principal: Any) -> None:
    req = corrections.correction_request_start(actor=principal)
    client = _client(principal)
    url = reverse("people:correction-save", args=[req.pk])
    response = client.post(url, _draft_data(req, req.version, last_name="Principal-Uno"), headers=HX)
    html = response.content.decode()
    assert response.status_code == 200 and html.startswith("Saved ")
    assert f'id="correction-version" value="{req.version + 1}" hx-swap-oob="true"' in html
    assert _fresh(req).last_name == "Principal-Uno"
    bad = client.post(url, _draft_data(req, req.version + 1, email="not-an-address"), headers=HX)
    assert bad.content.decode().startswith("Not saved: E-mail:")
    # The page draws the form with htmx autosave attributes and no script of its own.
    page = client.get(req.get_absolute_url()).content.decode()
    assert 'hx-trigger="input changed delay:1s, submit"' in page
    assert 'id="correction-status" role="status" aria-live="polite"' in page
    assert "<script>" not in page


def test_the_same_draft_in_two_browsers_shows_theirs_and_yours(world: Any, principal: Any) -> None:
    req = corrections.correction_request_start(actor=principal)
    first, second = _client(principal), _client(principal)
    url = reverse("people:correction-save", args=[req.pk])
    v = req.version
    assert (
        "Saved"
        in first.post(url, _draft_data(req, v, last_name="Principal-Uno"), headers=HX).content.decode()
    )
    stale = second.post(url, _draft_data(req, v, last_name="Principal-Won"), headers=HX).content.decode()
    assert "Not saved" in stale and "Pat Principal-One saved this at" in stale
    assert '<th scope="row">Last name</th><td>Principal-Uno</td><td>Principal-Won</td>' in stale
    assert f'name="keep_mine" value="{v + 1}"' in stale
    assert _fresh(req).last_name == "Principal-Uno"  # the first save stands
    kept = second.post(
        url, {**_draft_data(req, v, last_name="Principal-Won"), "keep_mine": str(v + 1)}, headers=HX
    )
    assert kept.content.decode().startswith("Saved")
    assert _fresh(req).last_name == "Principal-Won"


def test_send_asks_for_confirmation_then_hr_sees_it_in_the_work_queue(world: Any, principal: Any) -> None:
    req = corrections.correction_request_start(actor=principal)
    req = corrections.correction_request_save(
        req=req, expected_version=req.version, actor=principal, email="pat@alpha.example.org"
    )
    assert [e.item.title for e in _queue(principal)] == ["Your correction request is not sent yet"]
    client = _client(principal)
    send = reverse("people:correction-submit", args=[req.pk])
    confirm = client.get(send).content.decode()
    assert "Send your correction request to HR of Alpha Public Schools?" in confirm
    assert "pat@alpha.example.org" in confirm and _fresh(req).status == Status.DRAFT  # nothing sent yet
    assert client.post(send, {"version": str(req.version)}).status_code == 302
    req = _fresh(req)
    assert req.status == Status.SUBMITTED and req.submitted_at is not None
    hr_queue = _queue(world.users["hr"])
    assert [(e.item.title, e.state) for e in hr_queue] == [
        ("Correction request from Pat Principal-One", "waiting")
    ]
    assert hr_queue[0].item.url == req.get_absolute_url()
    assert _queue(principal) == []
    audit = AuditEvent.objects.get(action="correction_submitted")
    assert audit.detail["fields"] == ["email"] and "pat@alpha" not in str(audit.detail)  # names, not values


def test_nothing_to_correct_is_not_sent(world: Any, principal: Any) -> None:
    req = corrections.correction_request_start(actor=principal)
    with pytest.raises(ApplicationError, match="Nothing to correct"):
        corrections.correction_request_submit(req=req, expected_version=req.version, actor=principal)


def test_a_stale_send_is_refused(world: Any, principal: Any) -> None:
    req = corrections.correction_request_start(actor=principal)
    v = req.version
    corrections.correction_request_save(req=req, expected_version=v, actor=principal, note="Spelling")
    with pytest.raises(editing.EditConflict):
        corrections.correction_request_submit(req=req, expected_version=v, actor=principal)


def test_take_back_until_hr_acts(world: Any, principal: Any, sent: CorrectionRequest) -> None:
    back = corrections.correction_request_take_back(req=sent, actor=principal)
    assert back.status == Status.DRAFT and back.submitted_at is None
    assert _queue(world.users["hr"]) == []
    # HR, with the page drawn before the take-back, tries to apply: refused, the note kept.
    hr = _client(world.users["hr"])
    response = hr.post(
        reverse("people:correction-decide", args=[sent.pk]),
        {"decision": "apply", "note": "Fixed the spelling", "version": str(sent.version)},
        follow=True,
    )
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("people:correction-list")
    assert "can no longer be applied: it is now “Draft” (changed by Pat Principal-One" in html
    assert "Your note was not recorded: “Fixed the spelling”" in html
    assert _fresh(sent).status == Status.DRAFT


def test_take_back_after_hr_acted_is_refused(world: Any, principal: Any, sent: CorrectionRequest) -> None:
    corrections.correction_request_apply(req=sent, expected_version=sent.version, actor=world.users["hr"])
    with pytest.raises(editing.TransitionRefused, match="can no longer be taken back: it is now “Applied”"):
        corrections.correction_request_take_back(req=sent, actor=principal)
    response = _client(principal).post(
        reverse("people:correction-step", args=[sent.pk, "take-back"]), follow=True
    )
    assert "can no longer be taken back" in response.content.decode()


def test_hr_applies_through_the_person_services(world: Any, principal: Any, sent: CorrectionRequest) -> None:
    hr = _client(world.users["hr"])
    page = hr.get(sent.get_absolute_url()).content.decode()
    assert "Principal-One" in page and "Principal-Uno" in page and "Record the decision" in page
    response = hr.post(
        reverse("people:correction-decide", args=[sent.pk]),
        {"decision": "apply", "note": "", "version": sent.version},
    )
    assert response.status_code == 302
    person = world.people["P1"]
    person.refresh_from_db()
    assert person.last_name == "Principal-Uno"
    req = _fresh(sent)
    assert (req.status, req.decided_by) == (Status.APPLIED, world.users["hr"])
    assert [e.action for e in req.events.all()] == ["started", "submitted", "applied"]
    assert AuditEvent.objects.filter(action="person_changed", target_id=str(person.pk)).exists()
    assert AuditEvent.objects.get(action="correction_applied").detail["fields"] == ["last_name"]
    # Decided, the request still shows what it changed: against the record as it was when sent.
    assert corrections.differences(req) == {"last_name": ("Principal-One", "Principal-Uno")}
    assert "On the record when sent" in hr.get(req.get_absolute_url()).content.decode()


def test_two_hr_users_at_once_the_second_meets_the_first_decision(
    world: Any, principal: Any, sent: CorrectionRequest
) -> None:
    other_hr = make_user(
        person=make_person("Ana", "Ruiz"), grants=[(RoleGrant.Role.HR, world.orgs["A"])], password=None
    )
    first, second = _client(other_hr), _client(world.users["hr"])
    url = reverse("people:correction-decide", args=[sent.pk])
    assert first.post(url, {"decision": "apply", "version": sent.version}).status_code == 302
    response = second.post(
        url, {"decision": "decline", "note": "We need a document", "version": sent.version}
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert "can no longer be declined: it is now “Applied” (changed by Ana Ruiz" in html
    assert "We need a document" in html  # what the second person typed is still on the page
    req = _fresh(sent)
    assert req.status == Status.APPLIED and req.decided_by == other_hr
    assert [e.action for e in req.events.all()] == ["started", "submitted", "applied"]


def test_hr_with_a_page_from_before_a_resend_gets_a_conflict(
    world: Any, principal: Any, sent: CorrectionRequest
) -> None:
    drawn = sent.version
    back = corrections.correction_request_take_back(req=sent, actor=principal)
    back = corrections.correction_request_save(
        req=back, expected_version=back.version, actor=principal, last_name="Principal-Ein"
    )
    corrections.correction_request_submit(req=back, expected_version=back.version, actor=principal)
    with pytest.raises(editing.EditConflict):
        corrections.correction_request_apply(req=sent, expected_version=drawn, actor=world.users["hr"])
    assert _fresh(sent).status == Status.SUBMITTED


def test_declining_needs_a_note_and_nobody_decides_their_own(
    world: Any, principal: Any, sent: CorrectionRequest
) -> None:
    with pytest.raises(ApplicationError, match="Say why"):
        corrections.correction_request_decline(
            req=sent, expected_version=sent.version, actor=world.users["hr"], note=" "
        )
    with pytest.raises(ApplicationError, match="own record"):
        corrections.correction_request_apply(req=sent, expected_version=sent.version, actor=principal)
    done = corrections.correction_request_decline(
        req=sent, expected_version=sent.version, actor=world.users["hr"], note="Spelled as on the licence"
    )
    assert done.status == Status.DECLINED and done.response_note == "Spelled as on the licence"
    page = _client(principal).get(done.get_absolute_url()).content.decode()
    assert "Spelled as on the licence" in page and "Take it back" not in page


@pytest.mark.parametrize(
    ("persona", "sees", "decides"),
    [
        ("school_leader", True, False),  # the person themselves
        ("hr", True, True),
        ("district_admin", True, True),
        ("state_admin", True, True),
        ("superintendent", False, False),
        ("principal_supervisor", False, False),
        ("educator", False, False),
        ("no_role", False, False),
    ],
)
def test_who_sees_and_decides_a_request(
    world: Any, sent: CorrectionRequest, persona: str, sees: bool, decides: bool
) -> None:
    client = _client(world.users[persona])
    assert client.get(sent.get_absolute_url()).status_code == (200 if sees else 404)
    response = client.post(
        reverse("people:correction-decide", args=[sent.pk]),
        {"decision": "decline", "note": "x", "version": sent.version},
    )
    assert response.status_code == (302 if decides else 404)


def test_hr_of_another_district_sees_nothing(world: Any, sent: CorrectionRequest) -> None:
    beta_hr = make_user(grants=[(RoleGrant.Role.HR, world.orgs["B"])], password=None)
    assert _client(beta_hr).get(sent.get_absolute_url()).status_code == 404
    assert _queue(beta_hr) == []


def test_events_are_append_only(world: Any, sent: CorrectionRequest) -> None:
    event = CorrectionRequestEvent.objects.filter(record=sent).first()
    assert event is not None
    event.note = "rewritten"
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()


def test_list_page_shows_mine_and_waiting(world: Any, principal: Any, sent: CorrectionRequest) -> None:
    mine = _client(principal).get(reverse("people:correction-list")).content.decode()
    assert "Sent to HR" in mine and "Propose a correction to my record" in mine
    waiting = _client(world.users["hr"]).get(reverse("people:correction-list")).content.decode()
    assert "Pat Principal-One" in waiting
    assert dt.date.today()  # dated rows render without error


def test_a_withdrawn_draft_makes_room_for_a_new_one(world: Any, principal: Any) -> None:
    req = corrections.correction_request_start(actor=principal)
    response = _client(principal).post(reverse("people:correction-step", args=[req.pk, "withdraw"]))
    assert response.status_code == 302 and _fresh(req).status == Status.WITHDRAWN
    with pytest.raises(editing.TransitionRefused):
        corrections.correction_request_save(
            req=req, expected_version=_fresh(req).version, actor=principal, note="x"
        )
    assert corrections.correction_request_start(actor=principal).pk != req.pk
    assert AuditEvent.objects.filter(action="correction_withdrawn", target_id=str(req.pk)).exists()
