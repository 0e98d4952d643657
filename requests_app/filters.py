from datetime import timedelta

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.fields import SearchFilter
from config.filtersets import FilterSet
from config.long_choices import ManyRowsChoiceFilter, QuickSelect
from registry.filters import TaxonomyFilter, offer_taxonomies
from requests_app.enums import CLOSED_STATUSES, OPEN_STATUSES, WAITING_STATUSES, RequestStatus, WorkKind
from requests_app.models import CareUnit, UnitRequest
from requests_app.selectors import coordinators

STATUS_CHOICES = [
    ("open", _("Alla öppna")),
    ("closed", _("Alla avslutade")),
    *[(s.value, s.label) for s in RequestStatus if s != RequestStatus.DRAFT],
]
WAITING = [("3", _("Mer än 3 dagar")), ("7", _("Mer än 7 dagar")), ("14", _("Mer än 14 dagar"))]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class BoardFilter(FilterSet):
    q = SearchFilter(method="filter_text", label=_("Sök referens, rubrik eller verksamhet"))
    status = django_filters.ChoiceFilter(
        choices=STATUS_CHOICES, method="filter_status", label=_("Status"), empty_label=_("Alla"), widget=QuickSelect
    )
    # Thousands of units at national scale: options written without a template each, grouped by organisation.
    unit = ManyRowsChoiceFilter(
        queryset=CareUnit.objects.all(), group_field="organisation", cache_as="all", label=_("Verksamhet"), empty_label=_("Alla")
    )
    kind = django_filters.ChoiceFilter(
        choices=WorkKind.choices, label=_("Typ av arbete"), empty_label=_("Alla"), widget=QuickSelect
    )
    area = TaxonomyFilter("area", method="filter_area", label=_("Erfarenhetsområde"), widget=QuickSelect)
    wanted_from = django_filters.DateFilter(method="filter_wanted_from", label=_("Önskat datum från och med"), widget=DATE)
    wanted_to = django_filters.DateFilter(method="filter_wanted_to", label=_("Önskat datum till och med"), widget=DATE)
    responsible = django_filters.ChoiceFilter(
        method="filter_responsible", label=_("Ansvarig"), empty_label=_("Alla"), widget=QuickSelect
    )
    waiting = django_filters.ChoiceFilter(
        choices=WAITING, method="filter_waiting", label=_("Har väntat på oss"), empty_label=_("Oavsett"), widget=QuickSelect
    )
    # Explicit choices: django-filter's own labels are English ("Submitted (descending)").
    order = django_filters.OrderingFilter(
        fields=(("submitted_at", "submitted"), ("reply_by", "reply_by"), ("starts_on", "starts_on")),
        choices=[
            ("submitted", _("Äldst inskickad först")),
            ("-submitted", _("Senast inskickad först")),
            ("reply_by", _("Svar önskas, närmast först")),
            ("starts_on", _("Önskat datum, närmast först")),
        ],
        label=_("Sortera"),
        empty_label=None,  # the first choice is the default order
        widget=QuickSelect,
    )

    class Meta:
        model = UnitRequest
        fields = []

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.taxonomies = offer_taxonomies(self)  # the rows of the board use them too
        self.filters["responsible"].extra["choices"] = [
            ("me", _("Jag")),
            ("none", _("Ingen ännu")),
            *[(str(pk), name or email) for pk, name, email in coordinators().values_list("pk", "full_name", "email")],
        ]

    def filter_text(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(reference__icontains=value) | Q(title__icontains=value) | Q(unit__name__icontains=value))

    def filter_status(self, queryset, name, value):
        if value == "open":
            return queryset.filter(status__in=OPEN_STATUSES)
        if value == "closed":
            return queryset.filter(status__in=CLOSED_STATUSES)
        return queryset.filter(status=value)

    def filter_area(self, queryset, name, value):
        # EXISTS, not a join: a join repeats a request per area and needs DISTINCT over the whole list.
        areas = UnitRequest.areas.through.objects.filter(unitrequest=OuterRef("pk"), experiencearea=int(value))
        return queryset.filter(Exists(areas))

    def filter_wanted_from(self, queryset, name, value):
        return queryset.filter(Q(ends_on__gte=value) | Q(ends_on__isnull=True, starts_on__gte=value))

    def filter_wanted_to(self, queryset, name, value):
        return queryset.filter(starts_on__lte=value)

    def filter_responsible(self, queryset, name, value):
        if value == "me":
            return queryset.filter(responsible=self.user)
        if value == "none":
            return queryset.filter(responsible__isnull=True)
        return queryset.filter(responsible_id=value)

    def filter_waiting(self, queryset, name, value):
        cutoff = timezone.now() - timedelta(days=int(value))
        return queryset.filter(status__in=WAITING_STATUSES, submitted_at__lt=cutoff)

    def filter_queryset(self, queryset):
        # Without a chosen order, the request that has waited longest comes first.
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("order"):
            queryset = queryset.order_by("submitted_at", "pk")
        return queryset
