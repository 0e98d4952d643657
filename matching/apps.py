from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = _("Matchning och förfrågningar")

    def ready(self):
        from accounts import audit
        from matching import keep, panels, services
        from notifications import links
        from registry import panels as registry_panels
        from registry.signals import resource_erased
        from requests_app import panels as request_panels
        from requests_app import timeline
        from requests_app.signals import request_status_changed

        links.register(services.LINK_KIND, services.token_for_inquiry)  # made at sending, never stored
        audit.track(self.get_model("Conflict"), masked={"note"})
        audit.track(self.get_model("MatchingWeights"))
        registry_panels.RESOURCE_PAGE.append(panels.resource_panel)
        registry_panels.POOL_PAGE.append(panels.spread_panel)
        request_panels.TRIAGE_PAGE.append(panels.triage_panel)
        request_panels.UNIT_PAGE.append(panels.unit_panel)
        timeline.LABELS.update(panels.TIMELINE_LABELS)
        request_status_changed.connect(panels.on_request_status_changed, dispatch_uid="matching.close_inquiries")
        keep.connect()
        resource_erased.connect(panels.on_resource_erased, dispatch_uid="matching.end_links_of_erased")
