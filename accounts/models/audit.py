from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The audit log cannot be changed.")

    def delete(self):
        raise PermissionError("The audit log cannot be deleted from the application.")

    def erase_values_for(self, obj) -> int:
        """GDPR erasure: keep what happened and when, drop the old and new values about `obj`.

        The only change the log ever allows, and only through registry's erasure service.
        """
        entries = list(self.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)))
        for entry in entries:
            changes = entry.data.get("changes") or {}
            data = {**entry.data, "changes": dict.fromkeys(changes, "erased"), "erased": True}
            data.pop("reason", None)
            models.QuerySet.update(self.filter(pk=entry.pk), data=data)
        return len(entries)

    def erase_actor_label(self, user) -> int:
        """GDPR erasure of a user: entries they caused stay, without their address."""
        return models.QuerySet.update(self.filter(actor=user), actor_label="")


class AuditEntry(models.Model):
    """One thing that happened: who, when, what, from where. Never changed once written."""

    timestamp = models.DateTimeField(_("tid"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("vem"),
    )
    # The actor's address when the entry was written, so the log still reads after an erasure.
    actor_label = models.CharField(_("vem (som det stod då)"), max_length=254, blank=True)
    action = models.CharField(_("händelse"), max_length=100, db_index=True)
    object_type = models.CharField(_("typ av post"), max_length=100, blank=True, db_index=True)
    object_id = models.CharField(_("post-id"), max_length=64, blank=True, db_index=True)
    data = models.JSONField(_("uppgifter"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP-adress"), null=True, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("loggpost")
        verbose_name_plural = _("granskningslogg")
        ordering = ["-timestamp", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "-timestamp"])]

    def __str__(self):
        return f"{self.timestamp:%Y-%m-%d %H:%M} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The audit log cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The audit log cannot be deleted from the application.")
