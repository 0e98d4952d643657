import ipaddress

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from accounts import audit
from accounts.services import user_has_mfa
from accounts.sso import session as sso_session

SIGNED_IN_AT = "signed_in_at"


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The visitor's address, as the region's own proxies saw it.

    Each proxy appends the address it was contacted from to X-Forwarded-For, so with
    TRUSTED_PROXY_COUNT proxies in front of us the client's address is that many entries
    from the right. Everything further left was written by the client and can be anything:
    trusting it would let a stranger dodge a limit or lock other people out. Used by the
    app's own limits, the audit log and (through the account adapter) allauth's limits.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count > 0 and forwarded:
        entries = [entry.strip() for entry in forwarded.split(",")]
        if len(entries) >= count:
            return _valid_ip(entries[-count]) or remote
    return remote


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
    """Ends a session after a period without activity, and after a fixed time whatever the
    activity (SESSION_MAX_AGE_*): shorter for staff than for others. Without the second
    limit, a page left open that polls, or a stolen cookie in use, would live for ever."""

    KEY = "last_activity"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            limit, longest = self.limits(user)
            now = timezone.now().timestamp()
            last = request.session.get(self.KEY)
            # Sessions from before this limit existed start counting now.
            started = request.session.setdefault(SIGNED_IN_AT, now)
            if now - started > longest.total_seconds():
                logout(request)
                messages.info(request, _("Du har varit inloggad länge och loggades ut av säkerhetsskäl. Logga in igen."))
                return redirect(f"{reverse('account_login')}?next={request.path}")
            if last is not None and now - last > limit.total_seconds():
                logout(request)
                messages.info(request, _("Du loggades ut eftersom du inte varit aktiv på ett tag. Logga in igen."))
                return redirect(f"{reverse('account_login')}?next={request.path}")
            # Writing at most once a minute keeps session writes cheap: the time and the session's
            # (and cookie's) expiry are renewed together; in between the session is not changed, so
            # it is not saved. (Renewing the expiry on every request changed it every second, and
            # saved the session, an UPDATE and a commit, on every page.) The limits above are
            # checked on every request all the same.
            if last is None or now - last > 60:
                self.renew(request.session, user, now)
        return self.get_response(request)

    @staticmethod
    def limits(user) -> tuple:
        """(the idle limit, the longest life) of the user's session."""
        if user.is_staff_role:
            return settings.SESSION_IDLE_TIMEOUT_STAFF, settings.SESSION_MAX_AGE_STAFF
        return settings.SESSION_IDLE_TIMEOUT_OTHERS, settings.SESSION_MAX_AGE_OTHERS

    @classmethod
    def renew(cls, session, user, now: float) -> None:
        """Records activity now: the session then lives the idle limit from now, and never past
        its longest life (counted from the sign-in). Done at sign-in too (accounts.signals)."""
        limit, longest = cls.limits(user)
        started = session.setdefault(SIGNED_IN_AT, now)
        session[cls.KEY] = now
        session.set_expiry(max(1, int(min(limit.total_seconds(), started + longest.total_seconds() - now))))


class NoStoreWhenSignedInMiddleware:
    """Pages for a signed-in person hold personal and health data: no cache may keep them,
    neither the browser's (the back button on a shared computer) nor a proxy's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        signed_in = request.user.is_authenticated
        response = self.get_response(request)
        if signed_in or request.user.is_authenticated:
            add_never_cache_headers(response)
        return response


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
