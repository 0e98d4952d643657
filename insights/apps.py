from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "insights"
    verbose_name = _("Statistik och årsrapport")

    def ready(self):
        from accounts.context_processors import NAVIGATION
        from accounts.enums import Role

        for item in (
            (Role.COORDINATOR, _("Statistik"), "insights:statistics"),
            (Role.COORDINATOR, _("Årsrapporter"), "insights:reports"),
            (Role.FINANCE, _("Statistik för ekonomi"), "insights:finance_statistics"),
        ):
            if item not in NAVIGATION:
                NAVIGATION.append(item)
