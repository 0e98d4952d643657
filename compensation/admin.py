from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from compensation.models import CompensationModel, PriceBaseAmount, RateLine


@admin.register(PriceBaseAmount)
class PriceBaseAmountAdmin(admin.ModelAdmin):
    list_display = ["year", "amount"]


class RateLineInline(admin.TabularInline):
    model = RateLine
    extra = 0
    fields = ["kind", "label", "up_to_hours", "per_hour", "amount", "pbb_percent", "tax_free_per_km", "position"]

    # A model a fee was computed from is frozen: its lines can only be read.
    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not (obj and obj.is_frozen)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and obj.is_frozen)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.is_frozen)


@admin.register(CompensationModel)
class CompensationModelAdmin(admin.ModelAdmin):
    list_display = ["name", "valid_from", "valid_until", "frozen"]
    inlines = [RateLineInline]

    @admin.display(boolean=True, description=_("arvoden framräknade"))
    def frozen(self, obj):
        return obj.is_frozen

    def get_readonly_fields(self, request, obj=None):
        if obj and obj.is_frozen:
            return ["name", "valid_from", "preparation_counts", "late_cancellation_percent"]
        return []

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.is_frozen)


# "No fee" is marked by coordinators on the assignment's page (with its reason and the audit log), not here.
