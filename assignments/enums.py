from django.db import models
from django.utils.translation import gettext_lazy as _


class AssignmentStatus(models.TextChoices):
    DRAFTING = "drafting", _("Överenskommelse skrivs")
    SIGNING = "signing", _("Väntar på underskrift")
    SIGNED = "signed", _("Underskriven")
    DONE = "done", _("Genomfört")
    CANCELLED = "cancelled", _("Inställt")


# Named groups, so views and filters never spell out lists of raw statuses.
ACTIVE_STATUSES = frozenset({AssignmentStatus.DRAFTING, AssignmentStatus.SIGNING, AssignmentStatus.SIGNED})
CLOSED_STATUSES = frozenset({AssignmentStatus.DONE, AssignmentStatus.CANCELLED})
# The agreement text may change only here; changing it while signing makes a new version.
EDITABLE_STATUSES = frozenset({AssignmentStatus.DRAFTING, AssignmentStatus.SIGNING, AssignmentStatus.SIGNED})

# Which status may follow which. set_assignment_status() refuses anything else.
# signing -> drafting / signed -> signing: the agreement was changed, signatures were voided.
TRANSITIONS: dict[str, frozenset[str]] = {
    AssignmentStatus.DRAFTING: frozenset({AssignmentStatus.SIGNING, AssignmentStatus.CANCELLED}),
    AssignmentStatus.SIGNING: frozenset({AssignmentStatus.SIGNED, AssignmentStatus.DRAFTING, AssignmentStatus.CANCELLED}),
    AssignmentStatus.SIGNED: frozenset({AssignmentStatus.DONE, AssignmentStatus.SIGNING, AssignmentStatus.CANCELLED}),
    AssignmentStatus.DONE: frozenset(),
    AssignmentStatus.CANCELLED: frozenset(),
}


class SessionMode(models.TextChoices):
    ON_SITE = "on_site", _("På plats")
    DIGITAL = "digital", _("Digitalt")


class SessionOutcome(models.TextChoices):
    """What the unit reports for each session after it; compensation pays from this."""

    HELD = "held", _("Genomfört som överenskommet")
    OTHER_LENGTH = "other_length", _("Genomfört, men tog annan tid")
    LATE_CANCELLED = "late_cancelled", _("Inställt sent (arvode betalas ändå)")
    CANCELLED_IN_TIME = "cancelled_in_time", _("Inställt i tid")
    NO_SHOW = "no_show", _("Personen kom inte")


# Outcomes for which the person is paid (compensation reads these).
PAID_OUTCOMES = frozenset({SessionOutcome.HELD, SessionOutcome.OTHER_LENGTH, SessionOutcome.LATE_CANCELLED})


class Party(models.TextChoices):
    UNIT = "unit", _("Uppdragsgivare")
    RESOURCE = "resource", _("Erfarenhetsresurs")
    COORDINATOR = "coordinator", _("Samordnare")


class CompletionStatus(models.TextChoices):
    REPORTED = "reported", _("Rapporterat av verksamheten")
    CONFIRMED = "confirmed", _("Bekräftat av personen")
    DISPUTED = "disputed", _("Ifrågasatt av personen")
    RESOLVED = "resolved", _("Avgjort av samordnare")
