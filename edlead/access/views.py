"""Role grants and the audit log, for administrators."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_POST

from edlead.access import policy, selectors, services
from edlead.access.filters import AuditEventFilterSet
from edlead.access.forms import RoleGrantForm
from edlead.access.models import RoleGrant
from edlead.core.errors import ApplicationError
from edlead.orgs.models import Organization


@login_required
def grant_list(request: HttpRequest) -> HttpResponse:
    if not policy.can(request.user, policy.ROLE_MANAGE):
        raise PermissionDenied
    manageable = policy.visible_to(
        request.user, Organization.objects.filter(closed_on__isnull=True), policy.ROLE_MANAGE
    ).order_by("kind", "name")
    form = RoleGrantForm(request.POST or None, organizations=manageable)
    if request.method == "POST" and form.is_valid() and _grant(request, form):
        return redirect("access:grant-list")
    grants = policy.visible_to(
        request.user,
        RoleGrant.objects.filter(revoked_at__isnull=True).select_related(
            "user", "organization", "granted_by"
        ),
        policy.ROLE_MANAGE,
    ).order_by("organization__name", "role", "user__email")
    page = Paginator(grants, 50).get_page(request.GET.get("page"))
    return render(request, "access/grant_list.html", {"page": page, "form": form})


def _grant(request: HttpRequest, form: RoleGrantForm) -> bool:
    try:
        services.role_grant(
            user=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            organization=form.cleaned_data["organization"],
            note=form.cleaned_data["note"],
            actor=request.user,
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, "Role granted.")
    return True


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
    filters = AuditEventFilterSet(request.GET or None, queryset=selectors.audit_events_for(request.user))
    events = filters.qs
    if request.GET.get("format") == "csv":
        from edlead.lib.exports import csv_response

        return csv_response("audit-log.csv", selectors.AUDIT_HEADER, selectors.audit_rows(events))
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    response = render(request, "access/audit_list.html", {"page": page, "filters": filters})
    patch_cache_control(response, no_store=True, private=True)
    return response
