from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RequestsAppConfig(AppConfig):
    name = "requests_app"
    verbose_name = _("Verksamheter och förfrågningar")

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from accounts import audit
        from config.long_choices import forget_rows_on_change
        from requests_app.selectors import BOARD_COUNTS, forget_board_summary

        audit.track(self.get_model("CareUnit"))
        # Draft edits are the unit's own work in progress; what matters is logged by the
        # services (created, submitted, each status change, messages, responsibility).

        # The kept figures and choices of the coordinators' lists (see their selectors).
        for signal in (post_save, post_delete):
            signal.connect(forget_board_summary, sender=self.get_model("UnitRequest"), dispatch_uid="board-summary")
            for model in ("UnitRequest", "CareUnit"):
                signal.connect(BOARD_COUNTS.forget, sender=self.get_model(model), dispatch_uid=f"board-counts-{model}")
        m2m_changed.connect(BOARD_COUNTS.forget, sender=self.get_model("UnitRequest").areas.through, dispatch_uid="board-counts")
        forget_rows_on_change(self.get_model("CareUnit"))
