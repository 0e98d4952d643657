from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.account.internal.stagekit import clear_login
from allauth.core.exceptions import ImmediateHttpResponse
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from accounts.enums import Role
from accounts.middleware import client_ip
from accounts.models import IdentityProvider
from accounts.services import grant_role
from accounts.sso import session as sso_session
from accounts.sso.logout import single_logout_url
from notifications.services import mail_context, send_auth_email, tidy_text


class AccountAdapter(DefaultAccountAdapter):
    def pre_login(self, request, user, **kwargs):
        response = super().pre_login(request, user, **kwargs)
        if response is not None:
            return response
        methods = {r.get("method") for r in get_authentication_records(request, user)}
        if "socialaccount" not in methods:
            # A sign-in of another kind never inherits an earlier organisation sign-in's strength.
            sso_session.forget(request)
        if (
            "password" in methods
            and settings.LOCAL_PASSWORDS_BREAK_GLASS_ONLY
            and not user.break_glass
            and IdentityProvider.objects.filter(is_active=True).exists()
        ):
            clear_login(request)
            messages.error(request, _("Logga in med ditt organisationskonto. Lösenord används bara för nödkonton."))
            return redirect("account_login")
        # Staff see many people's data: a mailed code alone is not enough for them. The
        # organisation's sign-in is enough, with our own second factor unless it was strong.
        if user.is_staff_role and not methods & {"password", "socialaccount"}:
            clear_login(request)
            messages.error(request, _("Personal loggar in med lösenord och säkerhetskod, inte med e-postkod."))
            return redirect("account_login")
        return None

    def get_login_stages(self) -> list[str]:
        return [
            "accounts.sso.stages.SecondFactorStage" if stage == "allauth.mfa.stages.AuthenticateStage" else stage
            for stage in super().get_login_stages()
        ]

    def get_logout_redirect_url(self, request):
        # Called before the session ends: sign out at the organisation too where it offers it.
        return single_logout_url(request) or super().get_logout_redirect_url(request)
    def get_client_ip(self, request):
        # allauth's rate limits count per address: the same reading of X-Forwarded-For as
        # the app's own limits (TRUSTED_PROXY_COUNT), so both agree on who is who.
        ip = client_ip(request)
        if not ip:
            raise PermissionDenied("Unable to determine client IP address")
        return ip

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
        try:
            send_auth_email(msg, template=template_prefix)
        except Exception as exc:  # any mail server failure gets the same kind answer
            # The mail server is down or stalled (EMAIL_TIMEOUT): say so and let the person try
            # again on the same page, instead of a server error. Nothing was stashed yet.
            request = request or self.request
            if request is None:
                raise
            messages.error(
                request, _("Vi kunde inte skicka e-post till dig just nu. Vänta en liten stund och försök sedan igen.")
            )
            raise ImmediateHttpResponse(redirect(request.get_full_path())) from exc
