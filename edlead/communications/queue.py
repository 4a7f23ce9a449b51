"""The communications items of the work queue, in two queries: reflection pieces waiting for the
reviewer's decision (for the publisher's administrators), and nominations in an open review that the
panelist has not scored yet."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef

from edlead.access.models import Relationship
from edlead.communications import rules
from edlead.communications.models import Nomination, NominationReview, Reflection
from edlead.core import workqueue
from edlead.orgs.models import Organization

SOURCE = "communications"
LIMIT = 50


def items(user: Any, today: dt.date) -> list[workqueue.WorkItem]:
    out: list[workqueue.WorkItem] = []
    if rules.is_publisher(user):
        publishes = rules.publishers_q(user)
        pieces = (
            Reflection.objects.filter(
                status=Reflection.Status.SUBMITTED,
                organization__in=Organization.objects.filter(publishes).values("pk"),
            )
            .select_related("organization", "author")
            .order_by("submitted_at", "pk")[:LIMIT]
        )
        for piece in pieces:
            out.append(
                workqueue.WorkItem(
                    title=f"Review the reflection piece “{piece.title}”",
                    url=piece.get_absolute_url(),
                    source=SOURCE,
                    organization=piece.organization.name,
                    detail=f"By {piece.author.display_name}: publish it or return it with comments",
                    waiting=True,
                )
            )
    pid = getattr(user, "person_id", None)
    if pid:
        panels = (
            Relationship.objects.active(today)
            .filter(holder_id=pid, kind=Relationship.Kind.MEMBER, group__startswith="recognition-panel:")
            .values("group")
        )
        scored = NominationReview.objects.filter(nomination=OuterRef("pk"), panelist_id=pid)
        rows = (
            Nomination.objects.filter(panel_key__in=panels, status=Nomination.Status.SUBMITTED)
            .exclude(nominee_id=pid)
            .filter(~Exists(scored))
            .select_related("program__organization", "nominee")
            .order_by("program__closes_on", "pk")[:LIMIT]
        )
        for n in rows:
            out.append(
                workqueue.WorkItem(
                    title=f"Review the nomination of {n.nominee.display_name}",
                    url=n.get_absolute_url(),
                    source=SOURCE,
                    organization=n.program.organization.name,
                    detail=f"{n.program.name}: score it against the criteria",
                    waiting=True,
                )
            )
    return out
