"""Navigation by role: the links a signed-in person sees in the header."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from edlead.access import policy
from edlead.core.navigation import admin_links

# Who makes or receives school visits (edlead/visits): supervisors and superintendents visit, school leaders
# and educators are visited. HR, coordinators, coaches and the cabinet would find an empty page.
VISIT_ROLES = frozenset({"principal_supervisor", "superintendent", "school_leader", "educator"})


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The everyday links, and the administration links in one "Administration" menu."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_links": [], "admin_links": []}
    links = [("Home", reverse("home:home"))]
    if policy.can(user, policy.ORG_VIEW):
        links.append(("Organizations", reverse("orgs:organization-list")))
    if policy.can(user, policy.PERSON_VIEW):
        links.append(("People", reverse("people:person-list")))
    if getattr(user, "person_id", None) or policy.can(user, policy.PERSON_VIEW):
        links.append(("Evaluations", reverse("evaluations:cycle-list")))
    if getattr(user, "person_id", None):
        links.append(("Licences", reverse("credentials:my-licences")))
    if policy.can(user, policy.PLAN_VIEW) or policy.can(user, policy.ORG_VIEW):  # approved plans are public
        links.append(("Plans", reverse("plans:plan-list")))
    if getattr(user, "person_id", None) and any(g.role in VISIT_ROLES for g in policy.effective_grants(user)):
        links.append(("Visits", reverse("visits:visit-list")))
    if (  # coaches, coachees (anyone with a person record) and those who assign mentors (edlead/coaching)
        getattr(user, "person_id", None)
        or policy.can(user, policy.PROGRAM_MANAGE)
        or policy.can(user, policy.ROLE_MANAGE)
    ):
        links.append(("Coaching", reverse("coaching:relationship-list")))
    if policy.can(user, policy.SUPPORT_VIEW) or _responds_for_a_department(user):
        links.append(("Support", reverse("support:request-list")))
    if policy.can(user, policy.PROGRAM_VIEW):
        links.append(("Learning", reverse("learning:catalog")))
        links.append(("Library", reverse("library:resource-list")))  # resources and case studies
    if getattr(user, "person_id", None) or policy.can(user, policy.PIPELINE_VIEW):  # one's pathway; the pool
        links.append(("Pipeline", reverse("pipeline:home")))
    if getattr(user, "person_id", None) or policy.effective_grants(user):  # digests, reflections, recognition
        links.append(("News", reverse("communications:archive")))
    if policy.can(user, policy.ORG_DIRECTORY):  # roles catalog, distributed leadership, councils, cabinets
        links.append(("Teacher leaders", reverse("teacherleaders:role-list")))
    if policy.can(user, policy.IMPORT_RUN):
        links.append(("Imports", reverse("imports:run-list")))
    admin = [(link.label, reverse(link.url_name)) for link in admin_links() if link.allowed(user)]
    current = request.path

    def entries(pairs: list[tuple[str, str]]) -> list[dict[str, Any]]:
        return [
            {
                "label": label,
                "url": url,
                "current": (url == "/" and current == "/") or (url != "/" and current.startswith(url)),
            }
            for label, url in pairs
        ]

    admin_entries = entries(admin)
    return {
        "nav_links": _grouped(entries(links)),
        "admin_links": admin_entries,
        "admin_current": any(e["current"] for e in admin_entries),
    }


# Links gathered under one menu of the header, so that it stays on one line: a person's own growth.
NAV_GROUPS = {"Growth": ("Licences", "Learning", "Coaching", "Library", "Teacher leaders")}


def _grouped(links: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Put the links of each `NAV_GROUPS` menu in one entry (`children`), where the first of them was; a
    menu of one link stays a link."""
    for group, labels in NAV_GROUPS.items():
        members = [link for link in links if link["label"] in labels]
        if len(members) < 2:
            continue
        menu = {
            "label": group,
            "id": f"nav-{group.lower()}",
            "children": members,
            "current": any(m["current"] for m in members),
        }
        first = links.index(members[0])
        links = [link for link in links if link not in members]
        links.insert(first, menu)
    return links


def _responds_for_a_department(user: Any) -> bool:
    """A department responder (edlead/support) may hold no role: one query, only for people without one
    that already shows the Support pages."""
    from edlead.access.models import Relationship

    pid = getattr(user, "person_id", None)
    return bool(pid) and (
        Relationship.objects.active()
        .filter(holder_id=pid, kind=Relationship.Kind.RESPONDER, group__startswith="department:")
        .exists()
    )
