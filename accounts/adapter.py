from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.account.internal.stagekit import clear_login
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from accounts.enums import Role
from accounts.services import grant_role
from notifications.services import mail_context, send_auth_email, tidy_text


class AccountAdapter(DefaultAccountAdapter):
    def pre_login(self, request, user, **kwargs):
        response = super().pre_login(request, user, **kwargs)
        if response is not None:
            return response
        # Staff see many people's data: a mailed code alone is not enough for them.
        if user.is_staff_role:
            methods = {r.get("method") for r in get_authentication_records(request, user)}
            if "password" not in methods:
                clear_login(request)
                messages.error(request, _("Personal loggar in med lösenord och säkerhetskod, inte med e-postkod."))
                return redirect("account_login")
        return None

    def save_user(self, request, user, form, commit=True):
        # The only people who sign up themselves are care-unit staff (the form checks the
        # domain); experience resources join through the application form instead.
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            grant_role(user, Role.UNIT_STAFF)
        return user

    def send_mail(self, template_prefix, email, context):
        request = context.get("request")
        # Our own templates (templates/account/email/, templates/mfa/email/) name the
        # region and the coordinators, like every other mail the app sends.
        ctx = {"email": email, **mail_context(), **context}
        if request is not None:
            ctx.setdefault("request", request)
        msg = self.render_mail(template_prefix, email, ctx)
        msg.body = tidy_text(msg.body)
        send_auth_email(msg, template=template_prefix)
