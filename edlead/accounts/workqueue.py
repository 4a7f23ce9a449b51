"""Work-queue items from accounts: invitations waiting (for managers) and two-factor set-up (for a new
account). Two queries at most per user, whatever the number of invitations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.urls import reverse
from django.utils import timezone

from edlead.accounts import mfa, selectors
from edlead.core.workqueue import WorkItem

SOURCE = "accounts"
EXPIRING_DAYS = 3  # an invitation this close to expiry is listed on its own
NEW_ACCOUNT_DAYS = 30  # how long a new account is reminded to set up two-factor sign-in


def items(user: Any, today: dt.date) -> Iterator[WorkItem]:
    yield from _invitation_items(user, today)
    yield from _two_factor_items(user, today)


def _invitation_items(user: Any, today: dt.date) -> Iterator[WorkItem]:
    if not selectors.may_manage_accounts(user):
        return
    now = timezone.now()
    pending = list(
        selectors.invitations_for(user)
        .pending(now)
        .filter(invited_by=user)
        .order_by("expires_at")
        .values_list("expires_at", "organization__name")[:500]
    )
    if not pending:
        return
    url = reverse("accounts:account-list") + "#invitations"
    soon = [
        (at, org) for at, org in pending if timezone.localdate(at) <= today + dt.timedelta(days=EXPIRING_DAYS)
    ]
    if soon:
        first, org = soon[0]
        yield WorkItem(
            title=f"{len(soon)} invitation{'s' if len(soon) != 1 else ''} expiring soon: send again if needed",
            url=url,
            source=SOURCE,
            due=timezone.localdate(first),
            organization=org if len({o for _, o in soon}) == 1 else "",
        )
    waiting = len(pending) - len(soon)
    if waiting:
        first, org = pending[len(soon)]
        yield WorkItem(
            title=f"{waiting} invitation{'s' if waiting != 1 else ''} waiting to be accepted",
            url=url,
            source=SOURCE,
            # Nothing to do yet: no due date (they would all be "due soon" from the day they are sent).
            detail=f"The first expires on {timezone.localdate(first):%B} {timezone.localdate(first).day}.",
            organization=org if len({o for _, o in pending[len(soon) :]}) == 1 else "",
        )


def _two_factor_items(user: Any, today: dt.date) -> Iterator[WorkItem]:
    """Required by the user's role: waiting (the pages insist too). Otherwise offered to a new account."""
    required = bool(mfa.requiring_roles(user))
    joined = timezone.localdate(user.date_joined) if getattr(user, "date_joined", None) else today
    is_new = (today - joined).days <= NEW_ACCOUNT_DAYS
    if not (required or is_new) or mfa.has_mfa(user):
        return
    yield WorkItem(
        title="Set up two-factor sign-in",
        url=reverse("mfa_activate_totp"),
        source=SOURCE,
        detail=(
            "Your role requires an authenticator app."
            if required
            else "An authenticator app keeps your account safe if your password leaks."
        ),
        waiting=required,
        new=not required,
    )
