"""`{% library_links program %}` / `{% library_links cohort %}`: the library resources shared with a
program or a cohort, drawn on its page (the learning templates load this), with the "Link from the
library" action for those who run it."""

from __future__ import annotations

from typing import Any

from django import template
from django.db import models

from edlead.learning.models import Cohort, Program
from edlead.library import selectors, services

register = template.Library()


@register.inclusion_tag("library/_links.html", takes_context=True)
def library_links(context: template.Context, owner: models.Model) -> dict[str, Any]:
    request = context["request"]
    user = request.user
    pdf = bool(context.get("pdf"))
    if isinstance(owner, Program):
        links = selectors.links_for(user, program=owner)
        may_link = services.may_link_program(user, owner)
        param = "program"
    elif isinstance(owner, Cohort):
        links = selectors.links_for(user, cohort=owner)
        may_link = services.may_link_cohort(user, owner)
        param = "cohort"
    else:
        raise template.TemplateSyntaxError(f"{owner._meta.label} has no library links")
    may_link = may_link and not pdf
    return {
        "show": bool(links) or may_link,
        "links": links,
        "may_link": may_link,
        "param": param,
        "owner": owner,
        "csrf_token": context.get("csrf_token"),
        "pdf": pdf,
    }
