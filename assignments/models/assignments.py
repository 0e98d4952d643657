"""An assignment (uppdrag): one chosen person's part in one request, with its sessions and completion."""

from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from assignments.enums import AssignmentStatus, CompletionStatus, Party, SessionMode, SessionOutcome
from config.choices import choice_label
from matching.models import Inquiry
from registry.models import ExperienceResource
from requests_app.models import UnitRequest


class Assignment(models.Model):
    """One person's assignment for one request. A project group meeting six times is one assignment with six sessions."""

    request = models.ForeignKey(UnitRequest, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("förfrågan"))
    resource = models.ForeignKey(
        ExperienceResource, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("erfarenhetsresurs")
    )
    # The chosen inquiry it was made from; one assignment per chosen inquiry, so a signal sent
    # twice never makes two.
    inquiry = models.OneToOneField(Inquiry, null=True, blank=True, on_delete=models.SET_NULL, related_name="assignment")
    # e.g. LB-2026-0042-1: the request's reference and the person's number in it.
    reference = models.CharField(_("referens"), max_length=30, unique=True)
    status = models.CharField(
        _("status"), max_length=12, choices=AssignmentStatus.choices, default=AssignmentStatus.DRAFTING, db_index=True
    )
    # Incremented on every change; a form carries the version it was built from (see requests_app).
    version = models.PositiveIntegerField(default=1, editable=False)

    # What the agreement says; drafted from the request, completed by the unit's contact or a coordinator.
    title = models.CharField(_("vad uppdraget gäller"), max_length=200)
    description = models.TextField(_("beskrivning av uppdraget"), blank=True)
    purpose = models.TextField(_("syfte"), blank=True)
    role = models.TextField(_("erfarenhetsresursens roll"), blank=True)
    preparation = models.TextField(_("vad personen behöver förbereda"), blank=True)
    preparation_hours = models.DecimalField(_("förberedelsetid i timmar"), max_digits=4, decimal_places=1, default=Decimal("0.0"))
    confidentiality = models.BooleanField(
        _("tystnadsplikt"), default=False, help_text=_("Personen kommer att höra uppgifter om patienter.")
    )
    share_email = models.BooleanField(_("verksamheten får personens e-postadress"), default=False)
    share_phone = models.BooleanField(_("verksamheten får personens telefonnummer"), default=False)

    contact_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("kontaktperson"),
    )
    contact_name = models.CharField(_("kontaktperson"), max_length=200, blank=True)
    contact_email = models.EmailField(_("kontaktpersonens e-post"), blank=True)
    contact_phone = models.CharField(_("kontaktpersonens telefon"), max_length=40, blank=True)

    cancelled_by = models.CharField(_("inställt av"), max_length=12, choices=Party.choices, blank=True)
    cancel_reason = models.TextField(_("skäl"), blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    # Reminders are claimed by setting these (a conditional UPDATE), so a sweep that runs twice
    # sends each mail once: the person's reminder before the first session, the unit's request
    # to report completion after the last one, and the reminder when it has not.
    session_reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    report_requested_at = models.DateTimeField(null=True, blank=True, editable=False)
    report_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("uppdrag")
        verbose_name_plural = _("uppdrag")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # A state's assignments newest first (the list filtered by state: "done" is 1.9 million rows
            # under the newest active ones); serves ranges of created_at within a state as before.
            models.Index(fields=["status", "-created_at", "-id"], name="assignment_by_status_newest"),
            # The coordinators' list, newest first: read from the top, not sorted at national scale.
            models.Index(fields=["-created_at", "-id"], name="assignment_newest_first"),
            # A person's page, newest first: without it the planner walks the whole list above for a quiet person.
            models.Index(fields=["resource", "-created_at", "-id"], name="assignment_by_person"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status=AssignmentStatus.CANCELLED) | ~models.Q(cancel_reason=""),
                name="cancelled_assignment_has_reason",
            ),
        ]

    def __str__(self):
        return self.reference

    @property
    def status_label(self) -> str:
        """As get_status_display(), without building the choices' dict on every call (a list of 50 rows)."""
        return choice_label(AssignmentStatus, self.status)


class Session(models.Model):
    """One occasion (tillfälle) of an assignment: a date, start and end, on site or digital."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField(_("datum"), db_index=True)
    starts_at = models.TimeField(_("börjar"))
    ends_at = models.TimeField(_("slutar"))
    mode = models.CharField(_("på plats eller digitalt"), max_length=10, choices=SessionMode.choices, default=SessionMode.ON_SITE)
    address = models.CharField(_("adress"), max_length=300, blank=True)
    link = models.URLField(_("länk till mötet"), max_length=500, blank=True)

    # Filled in by the unit's completion report.
    outcome = models.CharField(_("hur det gick"), max_length=20, choices=SessionOutcome.choices, blank=True)
    actual_hours = models.DecimalField(_("faktisk tid i timmar"), max_digits=4, decimal_places=1, null=True, blank=True)
    # A change of time or place after the reminder went out sends a new one (see reminders).
    changed_at = models.DateTimeField(null=True, blank=True)
    # The last change the person was told about (equal to changed_at once the mail is queued).
    notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("tillfälle")
        verbose_name_plural = _("tillfällen")
        ordering = ["date", "starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"),
            models.CheckConstraint(
                condition=~models.Q(outcome=SessionOutcome.OTHER_LENGTH) | models.Q(actual_hours__isnull=False),
                name="other_length_has_hours",
            ),
        ]

    def __str__(self):
        return f"{self.date} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"

    @property
    def planned_hours(self) -> Decimal:
        start = datetime.combine(self.date, self.starts_at)
        end = datetime.combine(self.date, self.ends_at)
        return (Decimal((end - start).total_seconds()) / Decimal(3600)).quantize(Decimal("0.01"))

    @property
    def held_hours(self) -> Decimal:
        """The length that counts after the report: the actual hours when another length was reported."""
        if self.outcome == SessionOutcome.OTHER_LENGTH and self.actual_hours is not None:
            return self.actual_hours
        return self.planned_hours


class CompletionReport(models.Model):
    """The unit's report that the assignment was carried out; the person confirms or disputes it."""

    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="completion")
    status = models.CharField(_("status"), max_length=12, choices=CompletionStatus.choices, default=CompletionStatus.REPORTED)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reported_at = models.DateTimeField(auto_now_add=True)
    unit_comment = models.TextField(_("kommentar från verksamheten"), blank=True)
    person_comment = models.TextField(_("kommentar från personen"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    resolution = models.TextField(_("samordnarens beslut"), blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("rapport om genomfört uppdrag")
        verbose_name_plural = _("rapporter om genomförda uppdrag")

    def __str__(self):
        return f"{self.assignment_id}: {self.status}"

    @property
    def status_label(self) -> str:
        return choice_label(CompletionStatus, self.status)
