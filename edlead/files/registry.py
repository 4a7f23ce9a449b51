"""Which records take attachments, and the access actions that govern them. An app declares its own
from its AppConfig.ready():

    from edlead.files.registry import attachable_register
    attachable_register(Evaluation, view_action=policy.EVALUATION_VIEW, edit_action=policy.EVALUATION_EDIT)

The upload and remove views accept only registered owners, and take the actions from here, never from
the request."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.http import Http404


@dataclass(frozen=True)
class Attachable:
    model: type[models.Model]
    view_action: str  # may see the list and download
    edit_action: str  # may upload and remove
    restricted: bool  # new uploads are restricted (every download audited) unless the uploader says not
    # Other actions the uploader may choose instead of `view_action` ("shared with their coach"), each
    # with the words the upload form shows. The first choice is `view_action` itself.
    view_choices: tuple[tuple[str, str], ...] = ()
    # The owner's own narrowing of who reads it, on top of the action (a library resource in draft is read
    # only by its publishers and author): the owner's queryset → what `user` may read of it.
    owner_readable: Callable[[Any, models.QuerySet[Any]], models.QuerySet[Any]] | None = None

    @property
    def key(self) -> str:
        return self.model._meta.label_lower


_REGISTRY: dict[str, Attachable] = {}


def attachable_register(
    model: type[models.Model],
    *,
    view_action: str,
    edit_action: str,
    restricted: bool = True,
    view_choices: tuple[tuple[str, str], ...] = (),
    owner_readable: Callable[[Any, models.QuerySet[Any]], models.QuerySet[Any]] | None = None,
) -> Attachable:
    if view_choices and view_choices[0][0] != view_action:
        raise ValueError("The first of view_choices is view_action, the default")
    rule = Attachable(model, view_action, edit_action, restricted, view_choices, owner_readable)
    _REGISTRY[rule.key] = rule
    return rule


def attachable_for(model_or_key: type[models.Model] | models.Model | str) -> Attachable | None:
    key = model_or_key if isinstance(model_or_key, str) else model_or_key._meta.label_lower
    return _REGISTRY.get(key)


def attachable_or_404(key: str) -> Attachable:
    rule = attachable_for(key)
    if rule is None:
        raise Http404("No such kind of record")
    return rule
