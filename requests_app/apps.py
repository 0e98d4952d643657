from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RequestsAppConfig(AppConfig):
    name = "requests_app"
    verbose_name = _("Verksamheter och förfrågningar")

    def ready(self):
        from accounts import audit

        audit.track(self.get_model("CareUnit"))
        # Draft edits are the unit's own work in progress; what matters is logged by the
        # services (created, submitted, each status change, messages, responsibility).
