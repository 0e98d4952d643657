from django.contrib import admin

from matching.models import Conflict, MatchingWeights


@admin.register(MatchingWeights)
class MatchingWeightsAdmin(admin.ModelAdmin):
    """One row: how much each criterion counts. Changes are in the audit log."""

    list_display = ["__str__", "areas", "perspective", "kind", "language", "place", "age", "recency", "frequency", "updated_at"]

    def has_add_permission(self, request):
        return not MatchingWeights.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Conflict)
class ConflictAdmin(admin.ModelAdmin):
    list_display = ["resource", "unit", "created_at"]
    list_select_related = ["resource", "unit"]
    raw_id_fields = ["resource"]
    search_fields = ["unit__name"]
