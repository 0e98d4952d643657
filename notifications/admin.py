from django.contrib import admin

from notifications.models import OutboundEmail


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    """What administrators need to see whether mail goes out: who, which mail, its state and
    times. Never the subject, text or attachments: they hold personal and health data, and
    until sent a placeholder for an answer link (notifications.links)."""

    list_display = ["created_at", "to", "template", "state", "attempts", "sent_at"]
    list_filter = ["state", "template"]
    search_fields = ["to", "key"]
    fields = readonly_fields = ["key", "to", "template", "state", "attempts", "last_error", "created_at", "claimed_at", "sent_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
