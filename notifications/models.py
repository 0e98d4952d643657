from django.db import models
from django.utils.translation import gettext_lazy as _


class EmailState(models.TextChoices):
    PENDING = "pending", _("Väntar")
    SENDING = "sending", _("Skickas")
    SENT = "sent", _("Skickat")
    FAILED = "failed", _("Misslyckades")


class OutboundEmail(models.Model):
    """Every e-mail the product sends, stored before it is sent: the outbox.

    The row is committed with the change that caused it, so a broker or worker outage
    loses nothing; the `key` makes sending idempotent (the same reminder is one row).
    """

    key = models.CharField(_("nyckel"), max_length=200, unique=True)
    to = models.EmailField(_("mottagare"))
    template = models.CharField(_("mall"), max_length=200)
    subject = models.CharField(_("ämne"), max_length=300)
    # Bodies of sign-in mails hold a code and are never stored (see send_auth_email).
    body_text = models.TextField(_("text"), blank=True)
    body_html = models.TextField(_("HTML"), blank=True)
    attachments = models.JSONField(default=list, blank=True)
    state = models.CharField(_("status"), max_length=16, choices=EmailState.choices, default=EmailState.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("försök"), default=0)
    last_error = models.CharField(_("senaste fel"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("skapat"), auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("skickat"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-postmeddelande")
        verbose_name_plural = _("e-postmeddelanden")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "created_at"])]

    def __str__(self):
        return f"{self.template} → {self.to} ({self.get_state_display()})"
