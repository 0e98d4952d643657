from allauth.account.signals import user_logged_in, user_logged_out
from django.contrib.auth import signals as auth_signals
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver
from django.utils import timezone

from accounts.audit import log_action
from accounts.middleware import SIGNED_IN_AT, SessionIdleTimeoutMiddleware


@receiver(auth_signals.user_logged_in)
def _session_started(sender, request, user, **kwargs):
    # The absolute session lifetime counts from here, whatever the activity afterwards; signing
    # in is activity too, so the first pages after it need not write the session again.
    if request is not None and hasattr(request, "session"):
        now = timezone.now().timestamp()
        request.session[SIGNED_IN_AT] = now
        SessionIdleTimeoutMiddleware.renew(request.session, user, now)


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    log_action("accounts.user.signed_in", actor=user, obj=user)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        log_action("accounts.user.signed_out", actor=user, obj=user)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    # Only the fact; the address tried is personal data of someone who may not be a user.
    log_action("accounts.user.sign_in_failed", data={})
