from django.contrib import admin

from requests_app.models import CareUnit


@admin.register(CareUnit)
class CareUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "cost_centre", "is_active"]
    list_filter = ["organisation", "is_active"]
    search_fields = ["name", "cost_centre"]
    filter_horizontal = ["staff"]
