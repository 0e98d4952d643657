from django.contrib import admin

from matching.models import MatchingWeights

# Conflicts of interest (jäv) are not here: they tie a person in the pool to a unit where
# they are treated or work, and are kept by the person and the coordinators in the app.


@admin.register(MatchingWeights)
class MatchingWeightsAdmin(admin.ModelAdmin):
    """One row: how much each criterion counts. Changes are in the audit log."""

    list_display = ["__str__", "areas", "perspective", "kind", "language", "place", "age", "recency", "frequency", "updated_at"]

    def has_add_permission(self, request):
        return not MatchingWeights.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
