from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.services import user_has_mfa
from accounts.sso import session as sso_session


def client_ip(request) -> str | None:
    # Behind the TLS proxy (docker compose), the proxy sets X-Forwarded-For; it is trusted
    # only when we are configured to sit behind one.
    if settings.SECURE_PROXY_SSL_HEADER:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR")


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = audit.set_context(actor=request.user, ip_address=client_ip(request))
        try:
            return self.get_response(request)
        finally:
            audit.reset_context(token)


class SessionIdleTimeoutMiddleware:
    """Ends a session after a period without activity: shorter for staff than for others."""

    KEY = "last_activity"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            limit = settings.SESSION_IDLE_TIMEOUT_STAFF if user.is_staff_role else settings.SESSION_IDLE_TIMEOUT_OTHERS
            now = timezone.now().timestamp()
            last = request.session.get(self.KEY)
            if last is not None and now - last > limit.total_seconds():
                logout(request)
                messages.info(request, _("Du loggades ut eftersom du inte varit aktiv på ett tag. Logga in igen."))
                return redirect(f"{reverse('account_login')}?next={request.path}")
            # Writing at most once a minute keeps session writes cheap.
            if last is None or now - last > 60:
                request.session[self.KEY] = now
            request.session.set_expiry(int(limit.total_seconds()))
        return self.get_response(request)


class RequireStaffMFAMiddleware:
    """Coordinators, finance and administrators cannot use the product until MFA is set up."""

    ALLOWED_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/om/", "/health/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and user.is_staff_role
            and not request.path.startswith(self.ALLOWED_PREFIXES)
            and not user_has_mfa(user)
            and not sso_session.is_strong(request)
        ):
            messages.warning(
                request,
                _("Som personal behöver du en andra inloggningsfaktor. Ställ in en autentiseringsapp först."),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
