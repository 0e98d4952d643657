from django.contrib import admin
from django.db import transaction
from django.db.models import Max

from assignments.models import AgreementTemplate


@admin.register(AgreementTemplate)
class AgreementTemplateAdmin(admin.ModelAdmin):
    """The standard clauses. Saving never changes a version that agreements were made from: every
    save is a new row with the next version number, and versions are never deleted."""

    list_display = ["version", "created_at", "created_by"]
    readonly_fields = ["version", "created_at", "created_by"]
    fields = ["version", "cancellation", "confidentiality", "personal_data", "support", "other", "created_by", "created_at"]

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            # Lock the table's newest row so two administrators saving at once get two numbers.
            list(AgreementTemplate.objects.select_for_update().order_by("-version")[:1])
            obj.pk = None
            obj._state.adding = True
            obj.version = (AgreementTemplate.objects.aggregate(v=Max("version"))["v"] or 0) + 1
            obj.created_by = request.user
            obj.save()

    def has_delete_permission(self, request, obj=None):
        return False
