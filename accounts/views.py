from django.views.generic import ListView
from rules.contrib.views import PermissionRequiredMixin

from accounts.filters import AuditEntryFilter
from accounts.models import AuditEntry


class AuditLogView(PermissionRequiredMixin, ListView):
    permission_required = "accounts.view_auditlog"
    template_name = "accounts/audit_log.html"
    paginate_by = 50

    def get_queryset(self):
        self.filterset = AuditEntryFilter(self.request.GET or None, queryset=AuditEntry.objects.all())
        return self.filterset.qs if self.filterset.is_bound else self.filterset.queryset

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["filter"] = self.filterset
        return ctx
