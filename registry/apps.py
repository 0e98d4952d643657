from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = _("Erfarenhetsresurser")

    def ready(self):
        from accounts import audit
        from notifications import links
        from registry import checks, events
        from registry.signals import resource_erased

        # Answer links are made when their mail is sent, never stored in the outbox.
        links.register(events.LINK_KIND, events.token_for_invitation)
        links.register(checks.LINK_KIND, checks.token_for_check)

        # Story and support needs are health data: logged as changed, never with their text.
        audit.track(self.get_model("ExperienceResource"), masked={"story", "support_needs", "coordinator_notes"})
        audit.track(self.get_model("AwayPeriod"), masked={"note"})
        resource_erased.connect(events.on_resource_erased, dispatch_uid="registry.events.erased")
