from urllib.parse import urlsplit

from django.contrib.auth.views import redirect_to_login
from django.db import connection
from django.db.models import Count, Q
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from accounts.enums import Role
from matching.enums import InquiryStatus
from matching.selectors import own_inquiries
from pages.panels import COORDINATOR_HOME, RESOURCE_HOME, UNIT_HOME, render_panels
from registry.checks import unanswered_checks
from registry.enums import ResourceStatus
from registry.events import unanswered_invitations
from registry.models import ExperienceResource
from registry.selectors import own_resource
from requests_app.enums import OPEN_STATUSES, JoinKind, JoinStatus, RequestStatus
from requests_app.forms import JoinUnitForm
from requests_app.models import UnitJoinRequest
from requests_app.selectors import board_summary, joins_to_decide, requests_for_coordinators, requests_for_unit_staff


def home(request):
    return render(request, "pages/home.html")


def start(request):
    """After sign-in: the start page of the user's (first) role."""
    if not request.user.is_authenticated:
        return redirect("account_login")
    for role, url_name in [
        (Role.COORDINATOR, "pages:coordinator_home"),
        (Role.FINANCE, "pages:finance_home"),
        (Role.UNIT_STAFF, "pages:unit_home"),
        (Role.RESOURCE, "pages:resource_home"),
        (Role.ADMINISTRATOR, "accounts:audit_log"),
    ]:
        if request.user.has_role(role):
            return redirect(url_name)
    return render(request, "pages/no_role.html")


class CoordinatorHomeView(PermissionRequiredMixin, TemplateView):
    permission_required = "pages.coordinator_home"
    template_name = "pages/coordinator_home.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["new_applications"] = ExperienceResource.objects.filter(status=ResourceStatus.APPLIED).order_by("created_at")[:10]
        ctx["new_applications_count"] = ExperienceResource.objects.filter(status=ResourceStatus.APPLIED).count()
        ctx["active_count"] = ExperienceResource.objects.filter(status=ResourceStatus.ACTIVE).count()
        ctx["unanswered_checks"] = unanswered_checks()[:20]
        ctx["leave_requests"] = ExperienceResource.objects.filter(leave_requested_at__isnull=False, erased_at__isnull=True)[:20]
        ctx["new_requests"] = requests_for_coordinators().filter(status=RequestStatus.SUBMITTED).order_by("submitted_at")[:10]
        ctx["my_requests"] = (
            requests_for_coordinators()
            .filter(responsible=self.request.user, status__in=OPEN_STATUSES)
            .order_by("reply_by", "submitted_at")[:10]
        )
        ctx["request_summary"] = board_summary()
        pending = UnitJoinRequest.objects.filter(status=JoinStatus.PENDING).aggregate(
            new=Count("pk", filter=Q(kind=JoinKind.NEW_UNIT)), joins=Count("pk", filter=Q(kind=JoinKind.EXISTING_UNIT))
        )
        ctx["pending_units"], ctx["pending_joins"] = pending["new"], pending["joins"]
        ctx["panels"] = render_panels(COORDINATOR_HOME, self.request)
        return ctx


class UnitHomeView(PermissionRequiredMixin, TemplateView):
    permission_required = "pages.unit_home"
    template_name = "pages/unit_home.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["units"] = user.care_units.filter(is_active=True)
        ctx["requests"] = requests_for_unit_staff(user).order_by("-created_at")[:200]
        ctx["join_form"] = JoinUnitForm()
        ctx["pending_units"] = user.unit_join_requests.filter(status=JoinStatus.PENDING)
        ctx["joins_to_decide"] = joins_to_decide(user)
        ctx["panels"] = render_panels(UNIT_HOME, self.request)
        return ctx


class ResourceHomeView(PermissionRequiredMixin, TemplateView):
    permission_required = "pages.resource_home"
    template_name = "pages/resource_home.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["resource"] = resource = own_resource(self.request.user)
        if resource is not None:
            ctx["unanswered_invitations"] = unanswered_invitations(resource)
            inquiries = own_inquiries(self.request.user)
            ctx["waiting_inquiries"] = inquiries.filter(status=InquiryStatus.SENT).order_by("deadline")
            ctx["chosen_inquiries"] = inquiries.filter(status=InquiryStatus.CHOSEN).order_by("-request__starts_on")[:10]
            ctx["panels"] = render_panels(RESOURCE_HOME, self.request)
        return ctx


class FinanceHomeView(PermissionRequiredMixin, TemplateView):
    permission_required = "pages.finance_home"
    template_name = "pages/finance_home.html"


@never_cache
def health(request):
    """For the load balancer and docker compose: the app answers and reaches its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def robots(request):
    return HttpResponse("User-agent: *\nDisallow: /\n", content_type="text/plain")


def error_403(request, exception=None):
    """403 is for a signed-in user who may not see the page. Someone not signed in (a link
    from a mail, or a session that timed out) is sent to sign in and then back.

    Every refusal in the project ends here, whichever decorator or mixin raised it, so
    this is the one place that needs to know the difference."""
    if not request.user.is_authenticated:
        return redirect_to_login(_back_after_sign_in(request))
    return render(request, "403.html", status=403)


def _back_after_sign_in(request) -> str:
    if request.method in ("GET", "HEAD"):
        return request.get_full_path()
    # A form sent after the session ended: back to the page the form was on, not to
    # an address that only takes POST.
    referer = request.META.get("HTTP_REFERER", "")
    same_site = url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    if referer and same_site:
        parts = urlsplit(referer)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return reverse("pages:start")


def error_404(request, exception=None):
    return render(request, "404.html", status=404)
