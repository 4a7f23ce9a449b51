"""Who may read and act on support requests.

- A school's requests (`policy.SUPPORT_VIEW`, by the request's `organization`, the school): the school's
  leaders, its supervision chain (the principal supervisor of its network, or of the school by a district
  decision), the superintendent and the district's administrators.
- `SUPPORT_READ` (declared rule): the requester, and the responders of the request's department (a
  responder `Relationship` on its group key) — whichever school it is.
- `SUPPORT_RESPOND` (declared rule): the department's responders only: they triage, assign and answer.
- `policy.SUPPORT_ROUTE`: a school's principal (and assistant principals) and its supervisor route
  requests for it, and resolve or reopen the school's answered requests.
- `policy.SUPPORT_MANAGE` on the district: administrators and the superintendent name the responders.

Reading is the union of the first two; everything else (another district, another quadrant's
supervisor, an educator, HR) sees nothing and gets 404."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from edlead.access import policy
from edlead.access.models import Relationship
from edlead.support.models import SupportRequest

SUPPORT_READ = "support.request.read"
SUPPORT_RESPOND = "support.request.respond"


def declare() -> None:
    """From SupportConfig.ready()."""
    responders = frozenset({Relationship.Kind.RESPONDER})
    policy.declare(
        SupportRequest,
        SUPPORT_READ,
        policy.Rule(
            person="requester",
            group="group_key",
            group_kinds=responders,
            label="A support request: the person who routed it and the department's responders",
        ),
    )
    policy.declare(
        SupportRequest,
        SUPPORT_RESPOND,
        policy.Rule(
            person="requester",
            owner=False,
            group="group_key",
            group_kinds=responders,
            label="Triaging, assigning and answering a support request: the department's responders",
        ),
    )


def readable(user: Any, queryset: QuerySet[SupportRequest] | None = None) -> QuerySet[SupportRequest]:
    """The requests `user` may read: the school's side (SUPPORT_VIEW) or the department's (SUPPORT_READ)."""
    base = SupportRequest.objects.all() if queryset is None else queryset
    return policy.visible_to(user, base, policy.SUPPORT_VIEW) | policy.visible_to(user, base, SUPPORT_READ)


def get_readable(user: Any, pk: int, queryset: QuerySet[SupportRequest] | None = None) -> SupportRequest:
    """One request the user may read, or 404 for "missing" and "not yours" alike."""
    found = readable(user, queryset).filter(pk=pk).first()
    if found is None:
        raise Http404("No such support request.")
    return found


def may_read(user: Any, req: SupportRequest) -> bool:
    return policy.can(user, policy.SUPPORT_VIEW, req) or policy.can(user, SUPPORT_READ, req)


def may_respond(user: Any, req: SupportRequest) -> bool:
    return policy.can(user, SUPPORT_RESPOND, req)


def may_close(user: Any, req: SupportRequest) -> bool:
    """Resolve or reopen an answered request: whoever routes requests for the school, or its requester."""
    return bool(
        (getattr(user, "person_id", None) and user.person_id == req.requester_id)
        or policy.can(user, policy.SUPPORT_ROUTE, req)
    )
