from django.db import models
from django.utils.translation import gettext_lazy as _


class InquiryStatus(models.TextChoices):
    SENT = "sent", _("Väntar på svar")
    YES = "yes", _("Ja")
    NO = "no", _("Nej")
    EXPIRED = "expired", _("Inget svar i tid")
    CHOSEN = "chosen", _("Vald")
    NOT_NEEDED = "not_needed", _("Behövdes inte")
    CANCELLED = "cancelled", _("Stängd")


class AnsweredVia(models.TextChoices):
    LINK = "link", _("länken i e-posten")
    OWN_PAGE = "own_page", _("Mina sidor")
    COORDINATOR = "coordinator", _("samordnaren")


OPEN_INQUIRY = frozenset({InquiryStatus.SENT, InquiryStatus.YES})
# Which status may follow which. set_inquiry_status() refuses anything else.
INQUIRY_TRANSITIONS: dict[str, frozenset[str]] = {
    InquiryStatus.SENT: frozenset({InquiryStatus.YES, InquiryStatus.NO, InquiryStatus.EXPIRED, InquiryStatus.CANCELLED}),
    # yes -> no: the person called to say they can no longer take part (recorded by a coordinator)
    InquiryStatus.YES: frozenset({InquiryStatus.CHOSEN, InquiryStatus.NOT_NEEDED, InquiryStatus.CANCELLED, InquiryStatus.NO}),
    InquiryStatus.NO: frozenset(),
    # a late answer, given by phone and recorded by a coordinator
    InquiryStatus.EXPIRED: frozenset({InquiryStatus.YES, InquiryStatus.NO}),
    InquiryStatus.CHOSEN: frozenset(),
    InquiryStatus.NOT_NEEDED: frozenset(),
    InquiryStatus.CANCELLED: frozenset(),
}
# Counted against the person's own monthly limit: they said yes, or were chosen.
COMMITTED = frozenset({InquiryStatus.YES, InquiryStatus.CHOSEN})
