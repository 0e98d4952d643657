from allauth.account.signals import user_logged_in, user_logged_out
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

from accounts.audit import log_action


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
