from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, ListView
from rules.contrib.views import PermissionRequiredMixin, permission_required

from accounts.audit import log_profile_view
from config.rows import long_dates, rows_html, url_for_id
from registry.enums import TRANSITIONS, ResourceStatus
from registry.filters import ResourceFilter
from registry.forms import ApplicationForm, IntakeForm, LeavingForm, NotesForm, StatusChangeForm, TrainingForm
from registry.panels import POOL_PAGE, RESOURCE_PAGE, render_panels
from registry.selectors import POOL_ORDER, filtered_count, page_ids, pool_count, pool_rows, resources_for_coordinators
from registry.services import (
    TransitionError,
    book_intake,
    confirm_leaving,
    record_training,
    save_coordinator_notes,
    set_resource_status,
    submit_application,
)
from registry.timeline import timeline_for


class PoolPaginator(Paginator):
    """The pool's pages at national scale (200,000 people, 4,000 pages).

    A page's ids are chosen first, in a subquery that reads only the order's index (it holds
    the id: an index-only scan), a deep page from the nearest kept mark before it (`page_ids`);
    the page's rows are then read by id as plain values (`selectors.pool_rows`, with the
    `taxonomies` the filter read). The count of the whole pool is kept in the cache (see
    `pool_count`), and so is a filtered pool's, for the pages after its first (see
    `filtered_count`). `chosen` is what the pool is filtered by."""

    def __init__(self, object_list, per_page, *, chosen: dict, taxonomies: dict, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.chosen, self.taxonomies = chosen, taxonomies

    @cached_property
    def count(self):
        return filtered_count(self.object_list, self.chosen) if self.chosen else pool_count()

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        order = self.object_list.query.order_by or self.object_list.model._meta.ordering
        if not self.chosen and tuple(order) == POOL_ORDER:
            ids = page_ids(self.object_list, bottom, top)  # a deep page starts from a kept mark
        else:
            ids = self.object_list.values("pk")[bottom:top]
        rows = pool_rows(resources_for_coordinators().filter(pk__in=ids).order_by(*order), self.taxonomies)
        return self._get_page(rows, number, self)


# A row of the pool list (registry/resource_list.html has the table around it).
POOL_ROW = (
    '<tr><td><a href="{url}">{name}</a></td><td>{status}</td><td>{perspectives}</td><td>{areas}</td>'
    "<td>{municipality}</td><td>{last_assignment}</td><td>{created}</td></tr>"
)


class ResourceListView(PermissionRequiredMixin, ListView):
    permission_required = "registry.list_resources"
    template_name = "registry/resource_list.html"
    context_object_name = "resources"
    paginate_by = 50
    paginator_class = PoolPaginator

    def get_queryset(self):
        pool = resources_for_coordinators().prefetch_related(None)  # the rows are read by pool_rows
        self.filterset = ResourceFilter(self.request.GET or None, queryset=pool)
        valid = self.filterset.is_bound and self.filterset.is_valid()
        # Nothing chosen but (perhaps) an order: the count of the pool is that of all.
        data = self.filterset.form.cleaned_data if valid else {}
        self.chosen = {k: v for k, v in data.items() if k != "order" and v not in (None, "")}
        pool = self.filterset.qs if valid else self.filterset.queryset
        if pool.query.order_by and "id" not in pool.query.order_by:
            pool = pool.order_by(*pool.query.order_by, "id")  # a chosen order: the id settles ties
        return pool

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        return self.paginator_class(
            queryset,
            per_page,
            orphans=orphans,
            allow_empty_first_page=allow_empty_first_page,
            chosen=self.chosen,
            taxonomies=self.filterset.taxonomies,
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["filter"] = self.filterset
        ctx["panels"] = render_panels(POOL_PAGE, self.request)
        # The rows written here (config.rows), each address and date worked out once.
        detail, long_date = url_for_id("registry:resource_detail"), long_dates()
        ctx["rows_html"] = rows_html(
            POOL_ROW,
            (
                {
                    "url": detail(row.pk),
                    "name": row.full_name,
                    "status": row.status_label,
                    "perspectives": row.perspective_text,
                    "areas": row.area_text,
                    "municipality": row.municipality,
                    "last_assignment": long_date(row.last_assignment_on) or "–",
                    "created": long_date(row.created_at),
                }
                for row in ctx["resources"]
            ),
        )
        return ctx


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

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        resource = self.object
        ctx["transitions"] = [
            ResourceStatus(s)
            for s in TRANSITIONS[resource.status]
            if s not in (ResourceStatus.INTAKE_BOOKED, ResourceStatus.LEFT)
        ]
        ctx["can_leave"] = resource.erased_at is None
        ctx["can_book_intake"] = ResourceStatus.INTAKE_BOOKED in TRANSITIONS[resource.status]
        ctx["intake_form"] = kwargs.get("intake_form") or IntakeForm(
            initial={"place": resource.intake_place, "starts_at": resource.intake_at}
        )
        ctx["training_form"] = kwargs.get("training_form") or TrainingForm(
            initial={"completed_on": resource.training_completed_on}
        )
        # a refused status change: which one, what was typed, and the error beside the reason
        ctx["posted_status"] = kwargs.get("posted_status", "")
        ctx["posted_reason"] = kwargs.get("posted_reason", "")
        ctx["reason_error"] = kwargs.get("reason_error", "")
        ctx["notes_form"] = NotesForm(initial={"notes": resource.coordinator_notes})
        ctx["timeline"] = timeline_for(resource)
        ctx["invitations"] = resource.event_invitations.select_related("event").order_by("-event__starts_at")
        ctx["panels"] = render_panels(RESOURCE_PAGE, self.request, resource)
        return ctx


def _resource(pk):
    return get_object_or_404(resources_for_coordinators(), pk=pk)


def _detail_again(request, resource, *, status=400, **refused):
    """The person's page again after a refused form, with its errors and what was typed."""
    view = ResourceDetailView(request=request, kwargs={"pk": resource.pk})
    view.object = resource
    return render(request, view.template_name, view.get_context_data(object=resource, **refused), status=status)


@require_POST
@permission_required("registry.manage_resources", raise_exception=True)
def change_status(request, pk):
    resource = _resource(pk)
    form = StatusChangeForm(request.POST)
    posted = {"posted_status": request.POST.get("status", ""), "posted_reason": request.POST.get("reason", "")}
    if not form.is_valid():
        messages.error(request, _("Välj en status."))
        return _detail_again(request, resource, **posted)
    target = form.cleaned_data["status"]
    if target in (ResourceStatus.REJECTED, ResourceStatus.LEFT) and not form.cleaned_data["reason"].strip():
        error = _("Skriv ett skäl.")
        messages.error(request, error)
        return _detail_again(request, resource, reason_error=error, **posted)
    try:
        set_resource_status(resource, target, actor=request.user, reason=form.cleaned_data["reason"])
    except TransitionError as exc:
        messages.error(request, str(exc))
        return _detail_again(request, resource, status=409, **posted)
    messages.success(request, _("Status ändrad till %(status)s.") % {"status": ResourceStatus(target).label})
    return redirect("registry:resource_detail", pk=resource.pk)


@require_POST
@permission_required("registry.manage_resources", raise_exception=True)
def book_intake_view(request, pk):
    resource = _resource(pk)
    form = IntakeForm(request.POST)
    if form.is_valid():
        try:
            book_intake(resource, actor=request.user, starts_at=form.cleaned_data["starts_at"], place=form.cleaned_data["place"])
            messages.success(request, _("Samtalet är bokat och en kallelse har skickats."))
            return redirect("registry:resource_detail", pk=resource.pk)
        except TransitionError as exc:
            messages.error(request, str(exc))
    return _detail_again(request, resource, intake_form=form)


@require_POST
@permission_required("registry.manage_resources", raise_exception=True)
def record_training_view(request, pk):
    resource = _resource(pk)
    form = TrainingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Utbildningen registrerades inte. Se markeringen i formuläret."))
        return _detail_again(request, resource, training_form=form)
    record_training(resource, actor=request.user, completed_on=form.cleaned_data["completed_on"])
    messages.success(request, _("Utbildningen är registrerad."))
    return redirect("registry:resource_detail", pk=resource.pk)


@require_POST
@permission_required("registry.manage_resources", raise_exception=True)
def save_notes_view(request, pk):
    resource = _resource(pk)
    form = NotesForm(request.POST)
    if form.is_valid():
        save_coordinator_notes(resource, notes=form.cleaned_data["notes"])
        messages.success(request, _("Anteckningarna är sparade."))
    return redirect("registry:resource_detail", pk=resource.pk)


@permission_required("registry.manage_resources", raise_exception=True)
def register_on_behalf(request):
    """A coordinator enters an application for someone (who has no e-mail, say)."""
    form = ApplicationForm(request.POST or None)
    form.fields["consent"].label = _("Personen har fått samtyckestexten uppläst eller i handen och har samtyckt.")
    if request.method == "POST" and form.is_valid():
        plain, relations = form.split()
        resource, created = submit_application(
            data=plain, relations=relations, token=form.cleaned_data["token"], entered_by=request.user
        )
        if not created:
            messages.warning(request, _("Den här personen finns redan."))
        return redirect("registry:resource_detail", pk=resource.pk)
    return render(request, "registry/register_on_behalf.html", {"form": form})


@require_POST
@permission_required("registry.manage_resources", raise_exception=True)
def confirm_leaving_view(request, pk):
    resource = _resource(pk)
    form = LeavingForm(request.POST)
    if not form.is_valid() or not form.cleaned_data["reason"].strip():
        messages.error(request, form.errors["reason"][0] if form.errors else _("Skriv ett skäl."))
        return redirect("registry:resource_detail", pk=resource.pk)
    confirm_leaving(resource, actor=request.user, reason=form.cleaned_data["reason"].strip())
    messages.success(request, _("Personen har lämnat och personuppgifterna är borttagna."))
    return redirect("registry:resource_list")
