from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = _("Erfarenhetsresurser")

    def ready(self):
        from accounts import audit
        from notifications import links
        from registry import checks, events, selectors
        from registry.signals import resource_erased

        # Answer links are made when their mail is sent, never stored in the outbox.
        links.register(events.LINK_KIND, events.token_for_invitation)
        links.register(checks.LINK_KIND, checks.token_for_check)

        # Story and support needs are health data: logged as changed, never with their text.
        audit.track(self.get_model("ExperienceResource"), masked={"story", "support_needs", "coordinator_notes"})
        audit.track(self.get_model("AwayPeriod"), masked={"note"})
        resource_erased.connect(events.on_resource_erased, dispatch_uid="registry.events.erased")
        # The pool's count is kept in the cache: forgotten when a person is added or removed.
        resource = self.get_model("ExperienceResource")
        post_save.connect(selectors.forget_pool_count, sender=resource, dispatch_uid="registry.pool_count.saved")
        post_delete.connect(selectors.forget_pool_count, sender=resource, dispatch_uid="registry.pool_count.deleted")
        # The counts of a filtered pool are kept too: any change of a person or their links
        # starts a new generation of them (a taxonomy deleted takes its links with it).
        changes = ((post_save, "saved"), (post_delete, "deleted"))
        for signal, verb in changes:
            signal.connect(selectors.POOL_COUNTS.forget, sender=resource, dispatch_uid=f"registry.pool_generation.{verb}")
        for relation in ("areas", "perspectives", "contribution_types"):
            through = getattr(resource, relation).through
            uid = f"registry.pool_generation.{relation}"
            m2m_changed.connect(selectors.POOL_COUNTS.forget, sender=through, dispatch_uid=uid)
        # The taxonomies' rows are kept for the pool page: forgotten when one is saved or deleted.
        for name, model in selectors.TAXONOMIES.items():
            for signal, verb in changes:
                signal.connect(selectors.forget_taxonomies, sender=model, dispatch_uid=f"registry.taxonomies.{name}.{verb}")
            post_delete.connect(selectors.POOL_COUNTS.forget, sender=model, dispatch_uid=f"registry.pool_generation.{name}")
