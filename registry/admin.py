from django.contrib import admin

from registry.models import ContributionType, ExperienceArea

# Administrators maintain the taxonomies. Profiles are health data and are not in the admin.


@admin.register(ExperienceArea, ContributionType)
class TaxonomyAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "is_active", "position"]
    list_editable = ["is_active", "position"]
    prepopulated_fields = {"slug": ["name"]}
