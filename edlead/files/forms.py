from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings

from edlead.files import content


class AttachmentForm(forms.Form):
    """One file for a record; what it holds is checked by `attachment_add`, not here."""

    file = forms.FileField(label="File")
    restricted = forms.BooleanField(
        required=False,
        label="Restricted: record every download in the audit log",
    )

    def __init__(self, *args: Any, view_choices: tuple[tuple[str, str], ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if view_choices:
            self.fields["visibility"] = forms.ChoiceField(
                label="Who may see it", choices=list(view_choices), initial=view_choices[0][0], required=False
            )
            self.fields["visibility"].widget.attrs["class"] = "usa-select"
            self.order_fields(["file", "visibility", "restricted"])
        field = self.fields["file"]
        field.help_text = (
            f"{content.accepted_text()}; at most {settings.EDLEAD_FILES_MAX_BYTES // (1024 * 1024)} MB."
        )
        field.widget.attrs.update(
            {
                "accept": content.accept_attribute(),
                "class": "usa-file-input",
                "aria-describedby": f"id_{self.add_prefix('file')}-hint",
            }
        )
        self.fields["restricted"].widget.attrs["class"] = "usa-checkbox__input"
