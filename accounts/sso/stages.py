from allauth.mfa.stages import AuthenticateStage

from accounts.sso import session as sso_session


class SecondFactorStage(AuthenticateStage):
    """allauth's TOTP step, skipped when the organisation's provider said the sign-in was strong
    (an authentication context the administrator marked as such, e.g. SITHS or MFA)."""

    def handle(self):
        # allauth keeps the unfinished social sign-in in the session as JSON; the user's cached
        # role set is not part of it (it is read again from the database when needed).
        self.login.user.__dict__.pop("roles", None)
        return super().handle()

    def _should_handle(self, request) -> bool:
        if sso_session.is_strong(request):
            return False
        return super()._should_handle(request)
