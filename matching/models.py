import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from matching.enums import COMMITTED, AnsweredVia, InquiryStatus
from registry.models import ExperienceResource
from requests_app.models import CareUnit, UnitRequest


def new_nonce() -> str:
    return secrets.token_urlsafe(16)


class MatchingWeights(models.Model):
    """How much each criterion counts in the shortlist's score. One row; administrators tune it."""

    areas = models.PositiveSmallIntegerField(_("erfarenhetsområden gemensamma"), default=30, validators=[MaxValueValidator(100)])
    perspective = models.PositiveSmallIntegerField(_("önskat perspektiv"), default=20, validators=[MaxValueValidator(100)])
    kind = models.PositiveSmallIntegerField(
        _("vill medverka i den sortens arbete"), default=15, validators=[MaxValueValidator(100)]
    )
    language = models.PositiveSmallIntegerField(_("språk"), default=10, validators=[MaxValueValidator(100)])
    place = models.PositiveSmallIntegerField(
        _("plats (samma kommun, eller digitalt går bra)"), default=10, validators=[MaxValueValidator(100)]
    )
    age = models.PositiveSmallIntegerField(_("önskad åldersgrupp"), default=5, validators=[MaxValueValidator(100)])
    recency = models.PositiveSmallIntegerField(
        _("rättvisa: inte tillfrågad eller anlitad nyligen"), default=15, validators=[MaxValueValidator(100)]
    )
    frequency = models.PositiveSmallIntegerField(
        _("rättvisa: tillfrågad sällan senaste året"), default=10, validators=[MaxValueValidator(100)]
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("vikter för matchning")
        verbose_name_plural = _("vikter för matchning")

    def __str__(self):
        return str(_("Vikter för matchning"))

    @classmethod
    def current(cls) -> "MatchingWeights":
        weights, _created = cls.objects.get_or_create(pk=1)
        return weights


class Conflict(models.Model):
    """A unit the person must not be matched with (they are treated or work there, say)."""

    resource = models.ForeignKey(ExperienceResource, on_delete=models.CASCADE, related_name="conflicts")
    unit = models.ForeignKey(CareUnit, on_delete=models.CASCADE, related_name="+", verbose_name=_("verksamhet"))
    note = models.CharField(_("anteckning (frivillig)"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("jäv")
        verbose_name_plural = _("jäv")
        ordering = ["unit__name"]
        constraints = [models.UniqueConstraint(fields=["resource", "unit"], name="one_conflict_per_unit")]

    def __str__(self):
        return f"{self.resource_id} ≠ {self.unit}"


class Inquiry(models.Model):
    """One question to one person about one request: will you take part?"""

    request = models.ForeignKey(UnitRequest, on_delete=models.CASCADE, related_name="inquiries")
    resource = models.ForeignKey(ExperienceResource, on_delete=models.CASCADE, related_name="inquiries")
    status = models.CharField(_("status"), max_length=12, choices=InquiryStatus.choices, default=InquiryStatus.SENT)
    deadline = models.DateTimeField(_("svar senast"))
    message = models.TextField(_("hälsning från samordnaren"), blank=True)
    comment = models.TextField(_("kommentar eller skäl"), blank=True)
    share_email = models.BooleanField(_("verksamheten får min e-postadress"), default=False)
    share_phone = models.BooleanField(_("verksamheten får mitt telefonnummer"), default=False)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_via = models.CharField(max_length=12, choices=AnsweredVia.choices, blank=True)
    # The answer link carries this; it is cleared when the answer is given, so a link works once.
    nonce = models.CharField(max_length=32, default=new_nonce, editable=False)
    by_hand = models.BooleanField(_("tillagd för hand"), default=False)
    hand_reason = models.TextField(_("skäl att lägga till för hand"), blank=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    reasons = models.JSONField(default=list, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True, db_index=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("förfrågan till deltagare")
        verbose_name_plural = _("förfrågningar till deltagare")
        ordering = ["sent_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["request", "resource"], name="one_inquiry_per_person_and_request")]
        indexes = [
            models.Index(fields=["status", "deadline"]),
            models.Index(fields=["resource", "sent_at"]),
            # The month's yes-answers and choices by request, read from the index alone (PostgreSQL
            # keeps the included columns): who has reached their own monthly limit.
            models.Index(
                fields=["request"],
                include=["resource", "sent_at"],
                condition=models.Q(status__in=sorted(COMMITTED)),
                name="inquiry_committed_by_request",
            ),
        ]

    def __str__(self):
        return f"{self.request} → {self.resource_id}"


class FairnessFacts(models.Model):
    """Kept summary of one person's inquiries, so the shortlist need not group every inquiry
    ever sent by person: the latest time they were asked and how many inquiries counted.

    Written only by services.refresh_fairness() (beat, every 10 minutes), which counts the
    inquiries up to FairnessCount.watermark. The shortlist adds what came after the watermark
    and takes off what has left the twelve months since (scoring.annotate_components), so
    the facts it ranks by are exact whenever the refresh last ran.
    """

    resource = models.OneToOneField(ExperienceResource, primary_key=True, on_delete=models.CASCADE, related_name="fairness")
    last_asked_at = models.DateTimeField(null=True)
    # inquiries up to the watermark sent on or after FairnessCount.counted_from
    asked_count = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.resource_id}: {self.asked_count}"


class FairnessCount(models.Model):
    """One row: up to which inquiry FairnessFacts were counted, and from when."""

    watermark = models.BigIntegerField(default=0)  # the highest inquiry id counted
    counted_from = models.DateTimeField(null=True)  # asked_count counts inquiries sent from here
    counted_at = models.DateTimeField(null=True)

    def __str__(self):
        return f"≤ {self.watermark}"


class ShortlistRow(models.Model):
    """Kept: what the shortlist's score needs of one person in the pool (active, not erased), on
    one narrow row, so 50,000 people are ranked by arithmetic over one table instead of joins
    and look-ups per person (scoring.ranked_from_rows).

    Kept in step by matching.keep, on every save of the person, change of their experience
    areas, perspectives and ways of contributing, inquiry made or deleted, and assignment done;
    rebuilt by keep.rebuild() (the migration, `manage.py keep_shortlist_rows`, and
    services.refresh_fairness once a day or when rows are missing). A property test holds every
    row equal to what is computed from the live tables after each kind of change.
    """

    resource = models.OneToOneField(ExperienceResource, primary_key=True, on_delete=models.CASCADE, related_name="shortlist_row")
    trained = models.BooleanField(default=False)  # training_completed_on is set
    # Copies of the person's own fields, compared exactly as on the person.
    municipality = models.CharField(max_length=100, blank=True)
    languages = models.CharField(max_length=200, blank=True)
    birth_year = models.PositiveSmallIntegerField(null=True)
    can_on_site = models.BooleanField(default=True)
    can_digital = models.BooleanField(default=True)
    max_assignments_per_month = models.PositiveSmallIntegerField(null=True)
    last_assignment_on = models.DateField(null=True)
    # Bit n set when the person has the experience area (perspective, way of contributing) with
    # primary key n; only keys 0-62 fit, a wish for a larger key is looked up in the link table.
    areas = models.BigIntegerField(default=0)
    perspectives = models.BigIntegerField(default=0)
    contributions = models.BigIntegerField(default=0)
    # The sent_at of the person's newest, second newest and fourth newest inquiry: the
    # fairness facts' last time asked, and (against a year before the wish) whether they were
    # asked at most 0, 1 or 3 times in the last twelve months (scoring.FREQUENCY_STEPS).
    last_asked = models.DateTimeField(null=True)
    asked_2nd = models.DateTimeField(null=True)
    asked_4th = models.DateTimeField(null=True)

    class Meta:
        indexes = [
            # Everyone the row's own rules let into play (scoring.rows_in_play), and which of a
            # list of people are, counted from the index alone: the shortlist's count of the eligible.
            models.Index(
                fields=["resource", "trained"], condition=~models.Q(max_assignments_per_month=0), name="shortlist_rows_in_play"
            ),
        ]

    def __str__(self):
        return f"{self.resource_id}"


class MonthAtLimit(models.Model):
    """Kept: a month in which a person in the pool has reached their own limit of assignments
    per month (a limit of one or more): as many yes-answers and choices (COMMITTED) as the limit,
    counted for the month the request starts in, or for a request without a start the month the
    inquiry was sent (scoring._limit_reached says the same from the live tables).

    The shortlist reads the wanted month's few rows instead of grouping that month's committed
    inquiries by person. Kept by matching.keep on every save of the person (their limit, or
    joining and leaving the pool: the row goes with their ShortlistRow), every inquiry made,
    answered or deleted, and every change of a request's start; rebuilt with the rows.
    """

    resource = models.ForeignKey(ShortlistRow, on_delete=models.CASCADE, related_name="months_at_limit")
    month = models.DateField()  # the first day of the month

    class Meta:
        constraints = [models.UniqueConstraint(fields=["month", "resource"], name="one_month_at_limit_per_person")]

    def __str__(self):
        return f"{self.resource_id}: {self.month:%Y-%m}"
