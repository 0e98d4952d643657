"""The coordinators' assignment list: state, unit, date, overdue signing, overdue report."""

from datetime import timedelta

import django_filters
from django import forms
from django.conf import settings
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assignments.enums import ACTIVE_STATUSES, AssignmentStatus
from assignments.models import Agreement, Assignment, CompletionReport, Session
from config.filtersets import FilterSet
from config.long_choices import ManyRowsChoiceFilter, QuickSelect
from requests_app.models import CareUnit

STATUS_CHOICES = [("active", _("Pågående")), ("all", _("Alla")), *AssignmentStatus.choices]


class AssignmentFilter(FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=STATUS_CHOICES, method="filter_status", empty_label=None, widget=QuickSelect
    )
    # Thousands of units at national scale: options written without a template each, grouped by organisation.
    unit = ManyRowsChoiceFilter(
        label=_("Verksamhet"),
        field_name="request__unit",
        queryset=CareUnit.objects.all(),
        group_field="organisation",
        cache_as="all",
        empty_label=_("Alla"),
    )
    date_from = django_filters.DateFilter(
        label=_("Tillfälle från och med"), method="filter_from", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = django_filters.DateFilter(
        label=_("Tillfälle till och med"), method="filter_to", widget=forms.DateInput(attrs={"type": "date"})
    )
    overdue_signing = django_filters.BooleanFilter(
        label=_("Väntar på underskrift för länge"), method="filter_overdue_signing", widget=forms.CheckboxInput
    )
    overdue_report = django_filters.BooleanFilter(
        label=_("Rapporten är försenad"), method="filter_overdue_report", widget=forms.CheckboxInput
    )

    class Meta:
        model = Assignment
        fields: list = []

    def filter_status(self, qs, name, value):
        if value == "active":
            return qs.filter(status__in=ACTIVE_STATUSES)
        if value in AssignmentStatus.values:
            return qs.filter(status=value)
        return qs

    # "From" and "to" together ask for an occasion between them: one EXISTS of a session in the
    # range. Two (one on or after "from", another on or before "to") also let through an
    # assignment with occasions only before and after the range.
    def filter_from(self, qs, name, value):
        return self._with_sessions(qs, date__gte=value)

    def filter_to(self, qs, name, value):
        if self.form.cleaned_data.get("date_from"):
            return qs  # in filter_from's range
        return self._with_sessions(qs, date__lte=value)

    def _with_sessions(self, qs, **bounds):
        until = self.form.cleaned_data.get("date_to")
        if until and "date__gte" in bounds:
            bounds["date__lte"] = until
        return qs.filter(Exists(Session.objects.filter(assignment=OuterRef("pk"), **bounds)))

    def filter_overdue_signing(self, qs, name, value):
        if not value:
            return qs
        since = timezone.now() - timedelta(days=settings.AGREEMENT_REMINDER_DAYS)
        waiting = Agreement.objects.filter(
            assignment=OuterRef("pk"), voided_at__isnull=True, signed_at__isnull=True, sent_at__lte=since
        )
        return qs.filter(status=AssignmentStatus.SIGNING).filter(Exists(waiting))

    def filter_overdue_report(self, qs, name, value):
        if not value:
            return qs
        before = timezone.localdate() - timedelta(days=settings.COMPLETION_OVERDUE_DAYS)
        return (
            qs.filter(status=AssignmentStatus.SIGNED)
            .alias(last_session=Max("sessions__date"))
            .filter(last_session__lte=before)
            .exclude(Exists(CompletionReport.objects.filter(assignment=OuterRef("pk"))))
        )
