from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Användare och granskningslogg")

    def ready(self):
        from . import audit, signals  # noqa: F401  (connects the audit and sign-in signal handlers)

        audit.track(self.get_model("User"), exclude={"password", "last_login"})
        audit.track(self.get_model("RoleGrant"))
