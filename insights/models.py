"""Summary figures kept by a beat refresh, and the yearly reports rendered from them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Figure(models.Model):
    """One counted number: how many `key` there were for `metric` in `month` within `scope`.

    The statistics page sums these rows instead of counting the source tables, so a year at
    national scale is one small indexed read. `scope` is "" for the whole region or
    "org:<organisation>"; a single unit is counted live (it is small). Snapshot figures (the
    bank as it is now) have no month; per-year figures that cannot be summed from months
    (distinct people) are stored with granularity "year".
    """

    class Granularity(models.TextChoices):
        MONTH = "month", _("månad")
        YEAR = "year", _("år")
        SNAPSHOT = "snapshot", _("nu")

    scope = models.CharField(max_length=220, blank=True)
    granularity = models.CharField(max_length=10, choices=Granularity.choices)
    month = models.DateField(null=True, blank=True)
    metric = models.CharField(max_length=40)
    key = models.CharField(max_length=200, blank=True)
    value = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["scope", "granularity", "month"], name="insights_figure_lookup")]

    def __str__(self):
        return f"{self.scope}/{self.month}/{self.metric}/{self.key}={self.value}"


class Refresh(models.Model):
    """When the figures were last counted (one row), shown on the page as their freshness."""

    finished_at = models.DateTimeField()
    seconds = models.FloatField(default=0)
    rows = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.finished_at:%Y-%m-%d %H:%M}"


class ReportStatus(models.TextChoices):
    PENDING = "pending", _("Skapas")
    READY = "ready", _("Klar")
    FAILED = "failed", _("Misslyckades")


class YearlyReport(models.Model):
    """A rendered yearly follow-up. Rendering the same year again makes a new version."""

    year = models.PositiveSmallIntegerField(_("år"))
    version = models.PositiveSmallIntegerField(default=1)
    improvements = models.TextField(
        _("utvecklingsmöjligheter"), blank=True, help_text=_("En idé per rad. De blir en punktlista i rapporten.")
    )
    quotes = models.JSONField(_("valda citat"), default=list, blank=True)
    status = models.CharField(max_length=10, choices=ReportStatus.choices, default=ReportStatus.PENDING)
    file = models.FileField(upload_to="reports/%Y/", blank=True)
    error = models.TextField(blank=True)
    # One per form: a double click makes one report, not two versions.
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    rendered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("årsrapport")
        verbose_name_plural = _("årsrapporter")
        ordering = ["-year", "-version"]
        constraints = [models.UniqueConstraint(fields=["year", "version"], name="one_report_version_per_year")]

    def __str__(self):
        return f"{self.year} v{self.version}"

    @property
    def filename(self) -> str:
        return f"arsrapport-{self.year}-v{self.version}.pdf"
