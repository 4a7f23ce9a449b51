"""Role grants and the audit log, for administrators."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from edlead.access import policy, services
from edlead.access.forms import RoleGrantForm
from edlead.access.models import RoleGrant
from edlead.core.errors import ApplicationError
from edlead.core.models import AuditEvent
from edlead.orgs.models import Organization


@login_required
def grant_list(request: HttpRequest) -> HttpResponse:
    if not policy.can(request.user, policy.ROLE_MANAGE):
        raise PermissionDenied
    manageable = policy.visible_to(
        request.user, Organization.objects.filter(closed_on__isnull=True), policy.ROLE_MANAGE
    ).order_by("kind", "name")
    form = RoleGrantForm(organizations=manageable)
    if request.method == "POST":
        form = RoleGrantForm(request.POST, organizations=manageable)
        if form.is_valid():
            try:
                services.role_grant(
                    user=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                    organization=form.cleaned_data["organization"],
                    note=form.cleaned_data["note"],
                    actor=request.user,
                )
                messages.success(request, "Role granted.")
                return redirect("access:grant-list")
            except ApplicationError as exc:
                messages.error(request, exc.message)
    grants = policy.visible_to(
        request.user,
        RoleGrant.objects.filter(revoked_at__isnull=True).select_related(
            "user", "organization", "granted_by"
        ),
        policy.ROLE_MANAGE,
    ).order_by("organization__name", "role", "user__email")
    page = Paginator(grants, 50).get_page(request.GET.get("page"))
    return render(request, "access/grant_list.html", {"page": page, "form": form})


@login_required
@require_POST
def grant_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    grant = policy.get_for_user(
        request.user, RoleGrant.objects.select_related("user"), policy.ROLE_MANAGE, pk=pk
    )
    services.role_revoke(grant=grant, actor=request.user)
    messages.success(request, f"Revoked {grant.get_role_display()} from {grant.user}.")
    return redirect("access:grant-list")


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    if not policy.can(request.user, policy.AUDIT_VIEW):
        raise PermissionDenied
    events = AuditEvent.objects.select_related("actor")
    # The log spans the whole installation; only state administrators see every row. Others see what
    # happened to and by accounts and records in their scope would need a join per target type, so for
    # now district-level readers see events by actors who hold a role inside their scope.
    if not request.user.is_superuser and not any(
        g.role == RoleGrant.Role.STATE_ADMIN for g in policy.grants_for(request.user, policy.AUDIT_VIEW)
    ):
        actor_ids = policy.visible_to(
            request.user, RoleGrant.objects.filter(revoked_at__isnull=True), policy.AUDIT_VIEW
        ).values("user_id")
        events = events.filter(actor_id__in=actor_ids)
    action = request.GET.get("action", "")
    if action in AuditEvent.Action.values:
        events = events.filter(action=action)
    if request.GET.get("format") == "csv":
        from edlead.lib.exports import csv_response

        return csv_response(
            "audit-log.csv",
            ["When", "Who", "What", "Record type", "Record id", "Record", "From", "Detail"],
            (
                [
                    e.at.isoformat(),
                    e.actor_label,
                    e.get_action_display(),
                    e.target_type,
                    e.target_id,
                    e.target_label,
                    e.ip_address,
                    e.detail,
                ]
                for e in events[:100_000]
            ),
        )
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "access/audit_list.html",
        {"page": page, "action": action, "actions": AuditEvent.Action.choices},
    )
