import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import AuditEntry


class AuditEntryFilter(django_filters.FilterSet):
    actor = django_filters.CharFilter(field_name="actor_label", lookup_expr="icontains", label=_("Vem (e-post)"))
    action = django_filters.CharFilter(lookup_expr="icontains", label=_("Händelse"))
    object_type = django_filters.CharFilter(lookup_expr="icontains", label=_("Typ av post"))
    object_id = django_filters.CharFilter(label=_("Post-id"))
    since = django_filters.DateFilter(
        field_name="timestamp", lookup_expr="date__gte", label=_("Från och med"), widget=forms.DateInput(attrs={"type": "date"})
    )
    until = django_filters.DateFilter(
        field_name="timestamp", lookup_expr="date__lte", label=_("Till och med"), widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = AuditEntry
        fields = []
