from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView
from rules.contrib.views import PermissionRequiredMixin

from accounts.audit import log_profile_view
from registry.selectors import resources_for_coordinators


class ResourceListView(PermissionRequiredMixin, ListView):
    permission_required = "registry.list_resources"
    template_name = "registry/resource_list.html"
    context_object_name = "resources"
    paginate_by = 50

    def get_queryset(self):
        return resources_for_coordinators()


class ResourceDetailView(PermissionRequiredMixin, DetailView):
    permission_required = "registry.see_profile"
    template_name = "registry/resource_detail.html"
    context_object_name = "resource"

    def get_permission_object(self):
        # Check the role before fetching: a refused user must not cause a logged profile view.
        return None

    def get_object(self, queryset=None):
        resource = get_object_or_404(resources_for_coordinators().prefetch_related("contribution_types"), pk=self.kwargs["pk"])
        log_profile_view(self.request.user, resource)
        return resource
