import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import AuditEntry
from config.fields import SearchFilter


class AuditEntryFilter(django_filters.FilterSet):
    actor = SearchFilter(field_name="actor_label", lookup_expr="icontains", label=_("Vem (e-post)"))
    action = SearchFilter(lookup_expr="icontains", label=_("Händelse"))
    object_type = SearchFilter(lookup_expr="icontains", label=_("Typ av post"))
    object_id = SearchFilter(label=_("Post-id"))
    since = django_filters.DateFilter(
        field_name="timestamp", lookup_expr="date__gte", label=_("Från och med"), widget=forms.DateInput(attrs={"type": "date"})
    )
    until = django_filters.DateFilter(
        field_name="timestamp", lookup_expr="date__lte", label=_("Till och med"), widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = AuditEntry
        fields = []
