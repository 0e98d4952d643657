from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class CompensationConfig(AppConfig):
    name = "compensation"
    verbose_name = _("Arvoden")

    def ready(self):
        from accounts import audit
        from accounts.context_processors import NAVIGATION
        from accounts.enums import Role
        from assignments import hooks
        from assignments.signals import assignment_done
        from compensation import panels, selectors, services
        from matching import hooks as matching_hooks

        # Identity and bank numbers are logged as "changed", never with their values.
        audit.track(self.get_model("Payee"), masked={"personnummer", "clearing_number", "bank_account"})
        audit.track(self.get_model("CompensationModel"))
        audit.track(self.get_model("RateLine"))
        audit.track(self.get_model("PriceBaseAmount"))
        # Figures kept in the cache (selectors), forgotten when what they count changes: a batch
        # page's people without payee details (payee details saved or deleted, a batch's lines
        # deleted by the retention sweep) and the open lines' count and sum (a line saved or
        # deleted; the services' bulk writes call forget_open_lines_total themselves).
        payee, line = self.get_model("Payee"), self.get_model("FeeLine")
        for signal, sender, forget in (
            (post_save, payee, selectors.forget_people_without_payee),
            (post_delete, payee, selectors.forget_people_without_payee),
            (post_delete, line, selectors.forget_people_without_payee),
            (post_save, line, selectors.forget_open_lines_total),
            (post_delete, line, selectors.forget_open_lines_total),
        ):
            uid = f"compensation.{forget.__name__}.{sender._meta.model_name}.{'save' if signal is post_save else 'delete'}"
            signal.connect(forget, sender=sender, dispatch_uid=uid)
        assignment_done.connect(services.on_assignment_done, dispatch_uid="compensation.compute_fees")
        hooks.AGREEMENT_FEE.append(services.agreement_fee_text)
        # The fee line in inquiries and on Mina sidor, with the amount from the model in force.
        matching_hooks.FEE_DESCRIPTION.append(services.fee_description)
        hooks.ASSIGNMENT_PAGE.append(panels.coordinator_panel)
        hooks.RESOURCE_ASSIGNMENT_PAGE.append(panels.resource_panel)
        hooks.UNIT_ASSIGNMENT_PAGE.append(panels.unit_panel)
        NAVIGATION.extend(
            [
                (Role.RESOURCE, _("Ersättning"), "compensation:own_fees"),
                (Role.UNIT_STAFF, _("Kostnader och reseräkningar"), "compensation:unit_costs"),
                (Role.COORDINATOR, _("Arvoden"), "compensation:attest"),
                (Role.FINANCE, _("Utbetalningar"), "compensation:batches"),
                (Role.FINANCE, _("Rapporter"), "compensation:reports"),
            ]
        )
