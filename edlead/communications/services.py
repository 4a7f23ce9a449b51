"""The only writers of communications: newsletter issues (write, publish once, send in batches), a
person's subscriptions, reflection pieces (submit, return, publish) and recognition (programs, panel,
nominations, reviews, awards). Keyword-only, actor first, one transaction each, audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from edlead.access import policy
from edlead.access.models import Relationship
from edlead.access.services import relationship_end, relationship_start
from edlead.communications import rules
from edlead.communications.models import (
    AUDIENCE_ROLES,
    Audience,
    Award,
    NewsletterDelivery,
    NewsletterIssue,
    NewsletterItem,
    Nomination,
    NominationReview,
    RecognitionProgram,
    Reflection,
    ReflectionEvent,
    Subscription,
)
from edlead.core import editing
from edlead.core.errors import ApplicationError
from edlead.core.services import audit_record
from edlead.notices.services import notify, notify_many
from edlead.orgs.models import Organization
from edlead.people.models import Person, Position

ISSUE_CHANGED = "newsletter_issue_changed"
SUBSCRIPTION_CHANGED = "newsletter_subscription_changed"
REFLECTION_CHANGED = "reflection_changed"
RECOGNITION_CHANGED = "recognition_changed"
AUDIT_VERBS = {
    ISSUE_CHANGED: "Newsletter issue written or published",
    SUBSCRIPTION_CHANGED: "Newsletter subscription changed",
    REFLECTION_CHANGED: "Reflection piece submitted or reviewed",
    RECOGNITION_CHANGED: "Recognition program, nomination or award changed",
}
NOTICE_NEWSLETTER = "communications.newsletter"
NOTICE_REFLECTION = "communications.reflection"
NOTICE_AWARD = "communications.award"
NOTICES = {
    NOTICE_NEWSLETTER: "A newsletter issue (top three) from the state or your district",
    NOTICE_REFLECTION: "Your reflection piece was published or returned",
    NOTICE_AWARD: "You received a recognition award",
}
SEND_BATCH = 2000  # people per transaction when a newsletter issue goes out
S = NewsletterIssue.Status
RS = Reflection.Status
NS = Nomination.Status


def _clean(obj: Any, **kwargs: Any) -> None:
    try:
        obj.full_clean(**kwargs)
    except ValidationError as exc:
        if hasattr(exc, "message_dict"):
            parts = [
                f"{_label(obj, field)}: {m}" if field != "__all__" else m
                for field, ms in exc.message_dict.items()
                for m in ms
            ]
        else:
            parts = list(exc.messages)
        raise ApplicationError(" ".join(parts)) from exc


def _label(obj: Any, field: str) -> str:
    try:
        return str(obj._meta.get_field(field).verbose_name).capitalize()
    except Exception:  # noqa: BLE001 - a non-field key: say it as it is
        return field


def _person(actor: Any) -> Person:
    person = getattr(actor, "person", None)
    if person is None:
        raise ApplicationError("Your account is not linked to a person record.")
    return person


def _require_publisher(actor: Any, org: Organization) -> None:
    if not rules.may_publish(actor, org):
        raise ApplicationError(f"You do not publish for {org.name}.")


# --- newsletter issues --------------------------------------------------------------------------------------
def _write_items(issue: NewsletterIssue, items: Sequence[dict[str, str]]) -> None:
    filled = [i for i in items if (i.get("headline") or "").strip() or (i.get("body") or "").strip()]
    if len(filled) > 3:
        raise ApplicationError("An issue has at most three top items.")
    issue.items.all().delete()
    for n, data in enumerate(filled, start=1):
        item = NewsletterItem(
            issue=issue,
            position=n,
            headline=(data.get("headline") or "").strip(),
            body=(data.get("body") or "").strip(),
            link=(data.get("link") or "").strip(),
        )
        try:
            item.full_clean(exclude=["issue"])
        except ValidationError as exc:
            parts = [f"Item {n}, {_label(item, f)}: {m}" for f, ms in exc.message_dict.items() for m in ms]
            raise ApplicationError(" ".join(parts)) from exc
        item.save()


def _check_audiences(audiences: Sequence[str]) -> list[str]:
    chosen = [a for a in Audience.values if a in set(audiences)]
    unknown = set(audiences) - set(Audience.values)
    if unknown:
        raise ApplicationError(f"Audiences: {', '.join(sorted(unknown))} is not an audience.")
    if not chosen:
        raise ApplicationError("Audiences: choose at least one audience.")
    return chosen


@transaction.atomic
def issue_create(
    *,
    actor: Any,
    organization: Organization,
    title: str,
    intro: str,
    audiences: Sequence[str],
    items: Sequence[dict[str, str]],
) -> NewsletterIssue:
    """A draft issue of `organization`'s newsletter with up to three top items."""
    _require_publisher(actor, organization)
    issue = NewsletterIssue(
        organization=organization,
        title=title.strip(),
        intro=intro.strip(),
        audiences=_check_audiences(audiences),
    )
    issue.mark_edited(actor)
    _clean(issue)
    issue.save()
    _write_items(issue, items)
    _audit_issue(issue, actor, "written")
    return issue


@transaction.atomic
def issue_update(
    *,
    actor: Any,
    issue: NewsletterIssue,
    title: str,
    intro: str,
    audiences: Sequence[str],
    items: Sequence[dict[str, str]],
    expected_version: int | None = None,
) -> NewsletterIssue:
    """Change a draft issue (a published one is final: what readers received stays as it was)."""
    _require_publisher(actor, issue.organization)
    current = editing.lock(issue)
    if current.status != S.DRAFT:
        raise ApplicationError(f"“{current.title}” is published and can no longer be changed.")
    changes = {"title": title.strip(), "intro": intro.strip(), "audiences": _check_audiences(audiences)}
    version = current.version if expected_version is None else expected_version
    current = editing.save_versioned(obj=current, expected_version=version, changes=changes, actor=actor)
    _write_items(current, items)
    _audit_issue(current, actor, "changed")
    return current


@transaction.atomic
def issue_publish(*, actor: Any, issue: NewsletterIssue) -> NewsletterIssue:
    """Publish an issue and send it, once: the row is locked, so a second click, a second tab or a second
    publisher is refused with the day it went out. Sending is the worker's (`newsletter_send_task`)."""
    _require_publisher(actor, issue.organization)
    current = editing.lock(issue)
    if current.status == S.PUBLISHED:
        when = timezone.localtime(current.published_at) if current.published_at else None
        on = f" on {when:%-d %B %Y at %H:%M}" if when else ""
        raise ApplicationError(f"“{current.title}” was already published{on}; it is not sent again.")
    if not current.items.exists():
        raise ApplicationError("Add at least one top item before publishing.")
    current.status = S.PUBLISHED
    current.published_at = timezone.now()
    current.published_by = actor if getattr(actor, "is_authenticated", False) else None
    current.mark_edited(actor)
    current.save()
    _audit_issue(current, actor, "published")
    issue_id = current.pk
    transaction.on_commit(lambda: _enqueue_send(issue_id))
    return current


def _enqueue_send(issue_id: int) -> None:
    from edlead.communications.tasks import newsletter_send_task

    newsletter_send_task.enqueue(issue_id=issue_id)


def _audit_issue(issue: NewsletterIssue, actor: Any, step: str) -> None:
    audit_record(
        action=ISSUE_CHANGED,
        actor=actor,
        target=issue,
        target_label=f"Newsletter issue: {issue.title}"[:255],
        detail={"step": step, "audiences": list(issue.audiences)},
        scope=[issue.organization.path],
    )


def recipients_ids(issue: NewsletterIssue) -> list[int]:
    """Who an issue goes to, in one query: people whose current position under the publisher is in one of
    its audiences, plus the publisher's explicit subscribers, less everyone who unsubscribed from it (an
    unsubscribe always wins)."""
    roles = sorted({r for a in issue.audiences for r in AUDIENCE_ROLES.get(a, ())})
    org = issue.organization
    wanted = Q(role__in=roles)
    if Audience.ASPIRING_LEADERS in issue.audiences:
        wanted |= Q(person__is_aspiring_leader=True)
    in_audience = (
        Position.objects.current().filter(wanted, organization__path__startswith=org.path).values("person_id")
    )
    choices = Subscription.objects.filter(organization=org)
    return list(
        Person.objects.filter(
            Q(pk__in=in_audience) | Q(pk__in=choices.filter(subscribed=True).values("person_id"))
        )
        .exclude(pk__in=choices.filter(subscribed=False).values("person_id"))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _notice_body(issue: NewsletterIssue, items: Sequence[NewsletterItem]) -> str:
    parts = [issue.intro] if issue.intro else []
    for n, item in enumerate(items, start=1):
        text = f"{n}. {item.headline}\n{item.body}"
        if item.link:
            text += f"\nRead more: {item.link}"
        parts.append(text)
    return "\n\n".join(parts)


def issue_send(*, issue_id: int, batch_size: int = SEND_BATCH) -> int:
    """Send a published issue to its recipients in batches (a transaction and a fixed number of queries
    each): a delivery row per person (unique per issue × person) and a notice through the platform's
    notices (in the inbox; e-mailed at once or in the person's digest, as they chose). Run by the worker;
    running it again sends nobody twice. Returns how many people were sent it by this run."""
    issue = NewsletterIssue.objects.select_related("organization").get(pk=issue_id)
    if issue.status != S.PUBLISHED:
        return 0
    items = list(issue.items.all())
    subject = f"{issue.organization.name}: {issue.title}"[:200]
    body = _notice_body(issue, items)
    link = issue.get_absolute_url()
    ids = recipients_ids(issue)
    sent = 0
    for start in range(0, len(ids), batch_size):
        sent += _send_batch(issue, ids[start : start + batch_size], subject, body, link)
    total = NewsletterDelivery.objects.filter(issue=issue).count()
    NewsletterIssue.objects.filter(pk=issue.pk).update(sent_at=timezone.now(), recipients=total)
    return sent


@transaction.atomic
def _send_batch(issue: NewsletterIssue, ids: list[int], subject: str, body: str, link: str) -> int:
    # A retry meets the unique constraints (delivery: issue × person; notice: person × once_key) and
    # skips whoever was already sent the issue; notify_many answers how many it told now.
    NewsletterDelivery.objects.bulk_create(
        [NewsletterDelivery(issue=issue, person_id=i) for i in ids], ignore_conflicts=True
    )
    return notify_many(
        people=[Person(pk=i) for i in ids],
        kind=NOTICE_NEWSLETTER,
        subject=subject,
        body=body,
        link=link,
        once_key=f"newsletter:{issue.pk}",
    )


# --- subscriptions ------------------------------------------------------------------------------------------
@transaction.atomic
def subscription_set(*, actor: Any, organization: Organization, subscribed: bool) -> Subscription:
    """The signed-in person subscribes to or unsubscribes from a publisher's newsletter."""
    person = _person(actor)
    if (
        organization.kind not in rules.PUBLISHER_KINDS
        or not Organization.objects.filter(Q(pk=organization.pk), _readable_org_q(actor)).exists()
    ):
        raise ApplicationError("You cannot subscribe to that newsletter.")
    sub, _created = Subscription.objects.update_or_create(
        person=person, organization=organization, defaults={"subscribed": subscribed}
    )
    audit_record(
        action=SUBSCRIPTION_CHANGED,
        actor=actor,
        target=sub,
        target_label=f"Newsletter of {organization.name}"[:255],
        detail={"subscribed": subscribed},
        scope=[organization.path],
        subject_person_id=person.pk,
    )
    return sub


def _readable_org_q(user: Any) -> Q:
    return rules.readable_org_q(user)


# --- reflection pieces --------------------------------------------------------------------------------------
@transaction.atomic
def reflection_save(
    *,
    actor: Any,
    organization: Organization,
    title: str,
    topic: str,
    body: str,
    reflection: Reflection | None = None,
    expected_version: int | None = None,
) -> Reflection:
    """Write (or rewrite, while a draft or returned) one's own reflection piece for a publisher."""
    person = _person(actor)
    if (
        organization.kind not in rules.PUBLISHER_KINDS
        or not Organization.objects.filter(Q(pk=organization.pk), _readable_org_q(actor)).exists()
    ):
        raise ApplicationError("Publisher: choose the state or your district.")
    values = {
        "organization": organization,
        "title": title.strip(),
        "topic": topic.strip(),
        "body": body.strip(),
    }
    if reflection is None:
        piece = Reflection(author=person, **values)
        piece.mark_edited(actor)
        _clean(piece)
        piece.save()
        _audit_reflection(piece, actor, "written")
        return piece
    if reflection.author_id != person.pk:
        raise ApplicationError("Only its author changes a reflection piece.")
    current = editing.lock(reflection)
    if current.status not in (RS.DRAFT, RS.RETURNED):
        raise ApplicationError("This piece is with the reviewers or published; it can no longer be changed.")
    version = current.version if expected_version is None else expected_version
    current = editing.save_versioned(obj=current, expected_version=version, changes=values, actor=actor)
    return current


@transaction.atomic
def reflection_submit(*, actor: Any, reflection: Reflection) -> Reflection:
    if reflection.author_id != _person(actor).pk:
        raise ApplicationError("Only its author submits a reflection piece.")
    piece = editing.transition(
        obj=reflection,
        action="submitted",
        to=RS.SUBMITTED,
        allowed_from=[RS.DRAFT, RS.RETURNED],
        actor=actor,
        event_model=ReflectionEvent,
        changes={"submitted_at": timezone.now()},
    )
    _audit_reflection(piece, actor, "submitted")
    return piece


@transaction.atomic
def reflection_publish(*, actor: Any, reflection: Reflection, note: str = "") -> Reflection:
    _require_publisher(actor, reflection.organization)
    piece = editing.transition(
        obj=reflection,
        action="published",
        to=RS.PUBLISHED,
        allowed_from=[RS.SUBMITTED],
        actor=actor,
        event_model=ReflectionEvent,
        note=note.strip(),
        changes={"published_at": timezone.now()},
    )
    _audit_reflection(piece, actor, "published")
    _tell_author(piece, f"Your reflection piece “{piece.title}” is published")
    return piece


@transaction.atomic
def reflection_return(*, actor: Any, reflection: Reflection, comment: str) -> Reflection:
    _require_publisher(actor, reflection.organization)
    if not comment.strip():
        raise ApplicationError("Comment: say what the author should change.")
    piece = editing.transition(
        obj=reflection,
        action="returned",
        to=RS.RETURNED,
        allowed_from=[RS.SUBMITTED],
        actor=actor,
        event_model=ReflectionEvent,
        note=comment.strip(),
        changes={"review_comment": comment.strip()},
    )
    _audit_reflection(piece, actor, "returned")
    _tell_author(piece, f"Your reflection piece “{piece.title}” was returned with comments")
    return piece


def _tell_author(piece: Reflection, subject: str) -> None:
    notify(
        person=piece.author,
        kind=NOTICE_REFLECTION,
        subject=subject[:200],
        body=piece.review_comment,
        link=piece.get_absolute_url(),
    )


def _audit_reflection(piece: Reflection, actor: Any, step: str) -> None:
    audit_record(
        action=REFLECTION_CHANGED,
        actor=actor,
        target=piece,
        target_label=f"Reflection piece: {piece.title}"[:255],
        detail={"step": step, "status": piece.status},
        scope=[piece.organization.path],
        subject_person_id=piece.author_id,
    )


# --- recognition ----------------------------------------------------------------------------------------------
@transaction.atomic
def program_create(
    *,
    actor: Any,
    organization: Organization,
    name: str,
    criteria: str,
    award_title: str,
    opens_on: dt.date,
    closes_on: dt.date,
    self_nomination: bool,
) -> RecognitionProgram:
    _require_publisher(actor, organization)
    program = RecognitionProgram(
        organization=organization,
        name=name.strip(),
        criteria=criteria.strip(),
        award_title=award_title.strip(),
        opens_on=opens_on,
        closes_on=closes_on,
        self_nomination=self_nomination,
    )
    _clean(program)
    program.save()
    _audit_recognition(program, actor, "program created", program.organization)
    return program


@transaction.atomic
def program_update(
    *,
    actor: Any,
    program: RecognitionProgram,
    name: str,
    criteria: str,
    award_title: str,
    opens_on: dt.date,
    closes_on: dt.date,
    self_nomination: bool,
    expected_version: int | None = None,
) -> RecognitionProgram:
    """Change a program's wording or window (safe editing: a form drawn before someone else saved is
    refused with both versions). Nominations already made stay as they are."""
    _require_publisher(actor, program.organization)
    changes = {
        "name": name.strip(),
        "criteria": criteria.strip(),
        "award_title": award_title.strip(),
        "opens_on": opens_on,
        "closes_on": closes_on,
        "self_nomination": self_nomination,
    }
    version = program.version if expected_version is None else expected_version
    try:
        current = editing.save_versioned(
            obj=program, expected_version=version, changes=changes, actor=actor, labels=PROGRAM_LABELS
        )
    except ValidationError as exc:
        raise ApplicationError(" ".join(exc.messages)) from exc
    if current.version != version:
        _audit_recognition(current, actor, "program changed", current.organization)
    return current


PROGRAM_LABELS = {
    "name": "Program name",
    "criteria": "Criteria",
    "award_title": "Award title",
    "opens_on": "Nominations open",
    "closes_on": "Nominations close",
    "self_nomination": "Self-nomination allowed",
}


@transaction.atomic
def panel_member_add(*, actor: Any, program: RecognitionProgram, person: Person) -> Relationship:
    """Name a panelist: a member relationship to the program's panel key (dated, audited as an access
    change), which is what lets them read and score the nominations."""
    _require_publisher(actor, program.organization)
    # The access service's own check is for relationship managers (administrators, HR); a superintendent
    # publishes without being one. The publisher was checked above: the system records the membership
    # and this module's audit names who asked.
    rel = relationship_start(
        actor=None,
        kind=Relationship.Kind.MEMBER,
        holder=person,
        organization=program.organization,
        group=program.panel_key,
        note=f"Review panel of {program.name}"[:255],
    )
    _audit_recognition(program, actor, "panelist added", program.organization, person=person.pk)
    return rel


@transaction.atomic
def panel_member_remove(*, actor: Any, program: RecognitionProgram, person: Person) -> Relationship:
    """Take a panelist off the panel from today: they no longer read or score the nominations (the scores
    they gave stay with the nominations)."""
    _require_publisher(actor, program.organization)
    rel = (
        Relationship.objects.active()
        .filter(kind=Relationship.Kind.MEMBER, group=program.panel_key, holder=person)
        .first()
    )
    if rel is None:
        raise ApplicationError(f"{person.display_name} is not on the review panel.")
    ended = relationship_end(actor=None, relationship=rel, ends_on=max(timezone.localdate(), rel.starts_on))
    _audit_recognition(program, actor, "panelist removed", program.organization, person=person.pk)
    return ended


def panel(program: RecognitionProgram) -> list[Person]:
    rels = (
        Relationship.objects.active()
        .filter(kind=Relationship.Kind.MEMBER, group=program.panel_key)
        .select_related("holder")
        .order_by("holder__last_name", "holder__first_name")
    )
    people = []
    for r in rels:
        # Taken off the panel: they leave at the end of that day.
        r.holder.panel_ends_on = r.ends_on  # type: ignore[attr-defined]
        people.append(r.holder)
    return people


@transaction.atomic
def nomination_create(
    *, actor: Any, program: RecognitionProgram, nominee: Person, statement: str, today: dt.date | None = None
) -> Nomination:
    """Nominate a colleague. Refused outside the nomination window, for oneself where the program does not
    allow it, twice for the same person, and for someone the nominator cannot see in the directory."""
    nominator = _person(actor)
    day = today or timezone.localdate()
    if not rules.readable_programs(actor).filter(pk=program.pk).exists():
        raise ApplicationError("You cannot nominate for that program.")
    if not program.opens_on <= day <= program.closes_on:
        raise ApplicationError(
            f"Nominations for {program.name} are open from {program.opens_on:%-d %B} to {program.closes_on:%-d %B %Y}."
        )
    if nominee.pk == nominator.pk and not program.self_nomination:
        raise ApplicationError(
            f"{program.name} does not accept nominations of oneself: nominate a colleague."
        )
    if nominee.pk != nominator.pk and not policy.can(actor, policy.PERSON_DIRECTORY, nominee):
        raise ApplicationError("Nominee: choose a colleague from your district.")
    if not statement.strip():
        raise ApplicationError("Statement: say how the nominee meets the criteria.")
    nomination = Nomination(
        program=program,
        panel_key=program.panel_key,
        nominee=nominee,
        nominator=nominator,
        statement=statement.strip(),
    )
    _clean(nomination)
    try:
        with transaction.atomic():
            nomination.save()
    except IntegrityError as exc:
        raise ApplicationError("You have already nominated this person for this program.") from exc
    _audit_recognition(nomination, actor, "nominated", program.organization, subject=nominee.pk)
    return nomination


@transaction.atomic
def nomination_review(*, actor: Any, nomination: Nomination, score: int, comment: str) -> NominationReview:
    if not rules.may_review(actor, nomination):
        raise ApplicationError("Only the program's review panel scores nominations.")
    panelist = _person(actor)
    if panelist.pk == nomination.nominee_id:
        raise ApplicationError("You cannot review your own nomination.")
    if nomination.status != NS.SUBMITTED:
        raise ApplicationError("This nomination is decided; reviews are closed.")
    review, _created = NominationReview.objects.get_or_create(
        nomination=nomination, panelist=panelist, defaults={"score": score, "comment": comment.strip()}
    )
    review.score, review.comment = score, comment.strip()
    _clean(review)
    review.save()
    _audit_recognition(nomination, actor, "reviewed", nomination.program.organization, score=score)
    return review


@transaction.atomic
def nomination_award(
    *, actor: Any, nomination: Nomination, citation: str = "", today: dt.date | None = None
) -> Award:
    """Give the program's award for a nomination: on the nominee's record, and the nominee is told."""
    program = nomination.program
    _require_publisher(actor, program.organization)
    current = Nomination.objects.select_for_update().get(pk=nomination.pk)
    if current.status != NS.SUBMITTED:
        raise ApplicationError("This nomination is already decided.")
    if Award.objects.filter(program=program, person_id=current.nominee_id).exists():
        raise ApplicationError("This person already holds this program's award.")
    current.status = NS.AWARDED
    current.save(update_fields=["status", "updated_at"])
    award = Award(
        program=program,
        nomination=current,
        person_id=current.nominee_id,
        title=program.award_title,
        citation=citation.strip(),
        awarded_on=today or timezone.localdate(),
    )
    _clean(award)
    award.save()
    _audit_recognition(award, actor, "awarded", program.organization, subject=current.nominee_id)
    notify(
        person=nomination.nominee,
        kind=NOTICE_AWARD,
        subject=f"You received the {award.title} award ({program.organization.name})"[:200],
        body=award.citation,
        link=reverse("people:person-detail", args=[current.nominee_id]),
        once_key=f"award:{award.pk}",
    )
    return award


@transaction.atomic
def nomination_decline(*, actor: Any, nomination: Nomination) -> Nomination:
    _require_publisher(actor, nomination.program.organization)
    current = Nomination.objects.select_for_update().get(pk=nomination.pk)
    if current.status != NS.SUBMITTED:
        raise ApplicationError("This nomination is already decided.")
    current.status = NS.NOT_SELECTED
    current.save(update_fields=["status", "updated_at"])
    _audit_recognition(current, actor, "not selected", nomination.program.organization)
    return current


def _audit_recognition(
    target: Any, actor: Any, step: str, org: Organization, subject: int | None = None, **detail: Any
) -> None:
    audit_record(
        action=RECOGNITION_CHANGED,
        actor=actor,
        target=target,
        target_label=f"{type(target)._meta.verbose_name.capitalize()} {target.pk}"[:255],
        detail={"step": step, **detail},
        scope=[org.path],
        subject_person_id=subject,
    )
