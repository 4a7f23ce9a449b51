"""`{% load attachments %}{% attachments owner %}`: an owner's files, and the upload form for those
who may add them (the owner's model registered with `edlead.files.registry.attachable_register`)."""

from __future__ import annotations

from typing import Any

from django import template
from django.db import models
from django.urls import reverse

from edlead.access import policy
from edlead.files import selectors
from edlead.files.forms import AttachmentForm
from edlead.files.registry import attachable_for

register = template.Library()


@register.inclusion_tag("files/_attachments.html", takes_context=True)
def attachments(context: template.Context, owner: models.Model, heading: str = "Documents") -> dict[str, Any]:
    rule = attachable_for(owner)
    if rule is None:
        raise template.TemplateSyntaxError(
            f"{owner._meta.label} does not take attachments (attachable_register)"
        )
    request = context["request"]
    pdf = bool(context.get("pdf"))
    can_edit = not pdf and policy.can(request.user, rule.edit_action, owner)
    items = selectors.attachments_for(request.user, owner)
    return {
        "show": bool(items) or can_edit,
        "heading": heading,
        "items": items,
        "can_edit": can_edit,
        "form": AttachmentForm(initial={"restricted": rule.restricted}, view_choices=rule.view_choices)
        if can_edit
        else None,
        "upload_url": reverse("files:upload", args=[rule.key, owner.pk]),
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
        "pdf": pdf,
    }
