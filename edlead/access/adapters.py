"""allauth hooks: EdLead accounts are created by administrators, not by sign-up; throttled sign-in
attempts reach the audit log; every e-mail (password reset, invitation, security notices) speaks as
EdLead and the person's district, never as the host name."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context


class AccountAdapter(DefaultAccountAdapter):
    _district_name = ""

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """allauth's, without the sites framework: the product's and the district's names instead."""
        from edlead.accounts.services import PRODUCT_NAME, district_name_for_email, district_name_for_user

        ctx: dict[str, Any] = {"request": context.get("request") or globals()["context"].request}
        ctx.update({"email": email, "product_name": PRODUCT_NAME})
        ctx.update(context)
        if not ctx.get("district_name"):
            user = ctx.get("user")
            ctx["district_name"] = (
                district_name_for_user(user) if user is not None else district_name_for_email(email)
            )
        # Templates of allauth's own that still name the site read the product's name.
        ctx["current_site"] = {"name": PRODUCT_NAME, "domain": ""}
        self._district_name = str(ctx["district_name"])
        self.render_mail(template_prefix, email, ctx).send()

    def format_email_subject(self, subject: str) -> str:
        """`EdLead · Alpha Public Schools: Reset your password`."""
        from edlead.accounts.services import PRODUCT_NAME

        prefix = f"{PRODUCT_NAME} · {self._district_name}" if self._district_name else PRODUCT_NAME
        return f"{prefix}: {subject}"

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
