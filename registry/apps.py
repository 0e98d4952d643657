from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = _("Erfarenhetsresurser")

    def ready(self):
        from accounts import audit

        # Story and support needs are health data: logged as changed, never with their text.
        audit.track(self.get_model("ExperienceResource"), masked={"story", "support_needs", "coordinator_notes"})
        audit.track(self.get_model("AwayPeriod"), masked={"note"})
