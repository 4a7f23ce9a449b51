"""allauth hooks: EdLead accounts are created by administrators, not by sign-up; throttled sign-in
attempts reach the audit log."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: Any) -> bool:
        return False

    def validation_error(self, code: str, *args: Any, **kwargs: Any) -> Any:
        if code == "too_many_login_attempts":
            from edlead.core.models import AuditEvent
            from edlead.core.signals import audit_sign_in_refused

            request = context.request
            attempted = str(request.POST.get("login", ""))[:200] if request is not None else ""
            audit_sign_in_refused(
                action=AuditEvent.Action.SIGN_IN_THROTTLED, attempted=attempted, request=request
            )
        return super().validation_error(code, *args, **kwargs)
