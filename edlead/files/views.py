"""Download (access-checked, streamed, audited when restricted), upload and remove."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import models
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from edlead.access import policy
from edlead.core.errors import ApplicationError
from edlead.core.services import audit_scope_of
from edlead.files import selectors, services
from edlead.files.forms import AttachmentForm
from edlead.files.registry import attachable_for, attachable_or_404


@login_required
def download(request: HttpRequest, pk: int) -> HttpResponseBase:
    attachment = selectors.attachment_get_for_user(request.user, pk)
    try:
        stream = services.attachment_storage().open(attachment.stored_name, "rb")
    except FileNotFoundError as exc:
        raise Http404("The file is no longer stored") from exc
    response = FileResponse(
        stream, as_attachment=True, filename=attachment.name, content_type=attachment.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, no_store=True, private=True)
    if attachment.restricted:
        services.attachment_downloaded(attachment=attachment, actor=request.user, request=request)
        response.audit_done = True  # type: ignore[attr-defined]  # audited above, about the owner
    else:  # ExportAuditMiddleware records it as a download
        response.audit_label = f"Attachment “{attachment.name}”"  # type: ignore[attr-defined]
        response.audit_scope = audit_scope_of(attachment.owner)  # type: ignore[attr-defined]
    return response


def _back(request: HttpRequest, owner: models.Model) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        target = owner.get_absolute_url()  # type: ignore[attr-defined]
    return HttpResponseRedirect(f"{target.split('#')[0]}#attachments")


@require_POST
@login_required
def upload(request: HttpRequest, kind: str, owner_pk: int) -> HttpResponse:
    rule = attachable_or_404(kind)
    owner = policy.get_for_user(
        request.user, rule.model._default_manager.all(), rule.edit_action, pk=owner_pk
    )
    form = AttachmentForm(request.POST, request.FILES, view_choices=rule.view_choices)
    if not form.is_valid():
        messages.error(request, "Choose a file to attach.")
        return _back(request, owner)
    try:
        attachment = services.attachment_add(
            owner=owner,
            file=form.cleaned_data["file"],
            actor=request.user,
            view_action=form.cleaned_data.get("visibility") or rule.view_action,
            restricted=form.cleaned_data["restricted"],
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Attached “{attachment.name}”.")
    return _back(request, owner)


@require_POST
@login_required
def remove(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = selectors.attachment_get_for_user(request.user, pk)
    owner = attachment.owner
    rule = attachable_for(owner) if owner is not None else None
    if owner is None or rule is None or not policy.can(request.user, rule.edit_action, owner):
        raise Http404("No such file")
    services.attachment_remove(attachment=attachment, actor=request.user)
    messages.success(request, f"Removed “{attachment.name}”.")
    return _back(request, owner)
