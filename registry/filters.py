import calendar
from datetime import date

import django_filters
from django import forms
from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.fields import SearchFilter
from config.filtersets import FilterSet
from config.long_choices import LongSelect, QuickSelect
from registry.enums import ResourceStatus
from registry.models import ExperienceResource
from registry.selectors import taxonomy_labels

AGE_BANDS = [
    ("-29", _("Under 30 år")),
    ("30-49", _("30–49 år")),
    ("50-64", _("50–64 år")),
    ("65-79", _("65–79 år")),
    ("80-", _("80 år eller äldre")),
]


def months_before(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


# The full-text vector of a person: on PostgreSQL a stored column (migration 0011, generated
# from name and story by PostgreSQL itself, with a GIN index), read by name; the models do not
# know it. Only the pool's own table is in the queries it is used in, so the name needs no alias.
SEARCH_VECTOR = RawSQL("search_vector", [], output_field=SearchVectorField())


def search_people(queryset, text: str):
    """Name and story. Swedish full-text search on PostgreSQL, a plain match elsewhere.

    On PostgreSQL each part has an index (migrations 0010 and 0011): the stored vector a GIN
    index, the names trigram indexes for the part-of-a-name match. The names come first in the
    condition: a row the trigram index finds is checked again, and a name that matches spares
    reading its vector."""
    text = text.strip()
    if not text:
        return queryset
    by_name = Q(first_name__icontains=text) | Q(last_name__icontains=text)
    if connection.vendor == "postgresql":
        query = SearchQuery(text, config="swedish", search_type="websearch")
        return queryset.alias(search=SEARCH_VECTOR).filter(by_name | Q(search=query))
    return queryset.filter(by_name | Q(story__icontains=text))


class TaxonomyFilter(django_filters.ChoiceFilter):
    """One of a taxonomy ("perspective", "area" or "contribution"), offered and checked from its
    kept rows (selectors.taxonomy_labels, read once by the filter set: see `offer_taxonomies`):
    no query to draw the options or to check the choice. The value is the chosen id, as text."""

    def __init__(self, taxonomy: str, **kwargs):
        self.taxonomy = taxonomy
        kwargs.setdefault("empty_label", _("Alla"))
        kwargs.setdefault("widget", LongSelect)
        # The message a ModelChoiceFilter gave: it does not repeat what was sent.
        kwargs.setdefault("error_messages", {"invalid_choice": forms.ModelChoiceField.default_error_messages["invalid_choice"]})
        super().__init__(choices=[], **kwargs)


def offer_taxonomies(filterset) -> dict:
    """Give the filter set's TaxonomyFilters their choices, from one read of the kept
    taxonomies; returns what was read (for the rows of the page)."""
    taxonomies = taxonomy_labels()
    for taxonomy_filter in filterset.filters.values():
        if isinstance(taxonomy_filter, TaxonomyFilter):
            labels = taxonomies[taxonomy_filter.taxonomy]
            taxonomy_filter.extra["choices"] = [(str(pk), label) for pk, label in labels]
    return taxonomies


LAST_ASSIGNMENT = [
    ("never", _("Aldrig haft uppdrag")),
    ("6", _("Inget uppdrag de senaste 6 månaderna")),
    ("12", _("Inget uppdrag de senaste 12 månaderna")),
]


class PoolFilter(FilterSet):
    """What the pool can be narrowed by: shared by the resource list and the invitations to events."""

    perspective = TaxonomyFilter("perspective", field_name="perspectives", method="filter_taxonomy", label=_("Perspektiv"))
    area = TaxonomyFilter("area", field_name="areas", method="filter_taxonomy", label=_("Erfarenhetsområde"))
    contribution = TaxonomyFilter(
        "contribution", field_name="contribution_types", method="filter_taxonomy", label=_("Medverkansform")
    )
    municipality = SearchFilter(lookup_expr="icontains", label=_("Kommun"))
    language = SearchFilter(field_name="languages", lookup_expr="icontains", label=_("Språk"))
    age = django_filters.ChoiceFilter(
        choices=AGE_BANDS, method="filter_age", label=_("Ålder"), empty_label=_("Alla"), widget=LongSelect
    )
    trained = django_filters.BooleanFilter(
        field_name="training_completed_on",
        lookup_expr="isnull",
        exclude=True,
        label=_("Introduktionsutbildning gjord"),
        widget=LongSelect(choices=[("", _("Alla")), ("true", _("Ja")), ("false", _("Nej"))]),
    )
    last_assignment = django_filters.ChoiceFilter(
        choices=LAST_ASSIGNMENT,
        method="filter_last_assignment",
        label=_("Senaste uppdrag"),
        empty_label=_("Alla"),
        widget=LongSelect,
    )

    class Meta:
        model = ExperienceResource
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.taxonomies = offer_taxonomies(self)  # the rows of the pool list use them too

    def filter_age(self, queryset, name, value):
        low, high = value.split("-")
        year = timezone.localdate().year
        if low:
            queryset = queryset.filter(birth_year__lte=year - int(low))
        if high:
            queryset = queryset.filter(birth_year__gte=year - int(high))
        return queryset

    def filter_last_assignment(self, queryset, name, value):
        if value == "never":
            return queryset.filter(last_assignment_on__isnull=True)
        cutoff = months_before(timezone.localdate(), int(value))
        return queryset.filter(Q(last_assignment_on__isnull=True) | Q(last_assignment_on__lt=cutoff))

    def filter_taxonomy(self, queryset, name, value):
        """EXISTS, not a join: each person stays one row, so no DISTINCT over the whole pool is needed."""
        field = ExperienceResource._meta.get_field(name)
        links = field.remote_field.through.objects.filter(
            **{field.m2m_field_name(): OuterRef("pk"), field.m2m_reverse_field_name(): int(value)}
        )
        return queryset.filter(Exists(links))


class ResourceFilter(PoolFilter):
    q = SearchFilter(method="filter_text", label=_("Sök på namn eller berättelse"))
    status = django_filters.ChoiceFilter(
        choices=ResourceStatus.choices, label=_("Status"), empty_label=_("Alla"), widget=LongSelect
    )
    # Explicit choices: django-filter's own labels are English ("Name (descending)") and
    # offered the default order twice ("Namn" and "Name").
    order = django_filters.OrderingFilter(
        fields=(
            ("last_name", "name"),
            ("created_at", "created"),
            ("municipality", "municipality"),
            ("status", "status"),
            ("last_assignment_on", "last_assignment"),
        ),
        choices=[
            ("name", _("Namn, A–Ö")),
            ("-name", _("Namn, Ö–A")),
            ("-created", _("Senast anmäld först")),
            ("created", _("Tidigast anmäld först")),
            ("municipality", _("Kommun, A–Ö")),
            ("status", _("Status")),
            ("last_assignment", _("Längst sedan senaste uppdrag först")),
            ("-last_assignment", _("Senaste uppdrag, nyast först")),
        ],
        label=_("Sortera"),
        empty_label=None,  # the first choice is the default order; no second "Namn"
        widget=QuickSelect,  # its options written without a template each, as the board's
    )

    class Meta(PoolFilter.Meta):
        pass

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Search and status first: they are what a coordinator reaches for most.
        first = {name: self.filters.pop(name) for name in ("q", "status")}
        self.filters = first | self.filters

    def filter_text(self, queryset, name, value):
        return search_people(queryset, value)
