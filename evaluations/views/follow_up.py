"""The coordinators' follow-up list, one evaluation's answers, and the themes for network meetings."""

from django.contrib import messages
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from evaluations.enums import FollowUpKind
from evaluations.forms import FollowUpForm, ThemeEventForm, ThemeForm
from evaluations.models import Evaluation, FollowUp, FollowUpTheme
from evaluations.selectors import answers_of, follow_up_items, is_open_item
from evaluations.services import link_theme_to_event, mark_followed_up, unlink_theme_from_event
from registry.models import Event


def _prefix(kind: str, object_id: int) -> str:
    return f"f-{kind}-{object_id}"


def _render_list(request, *, refused: FollowUpForm | None = None, status: int = 200):
    themes = list(FollowUpTheme.objects.order_by("title"))
    theme_qs = FollowUpTheme.objects.order_by("title")
    sections = []
    for kind, items in follow_up_items().items():
        for item in items:
            prefix = _prefix(item.kind, item.object_id)
            if refused is not None and refused.prefix == prefix:
                item.form = refused
            else:
                item.form = FollowUpForm(prefix=prefix, initial={"kind": item.kind, "object_id": item.object_id}, themes=theme_qs)
                item.form.fields["themes"].choices = [(t.pk, t.title) for t in themes]  # one query, not one per item
        sections.append({"kind": FollowUpKind(kind), "items": items})
    recent = FollowUp.objects.select_related("followed_up_by").prefetch_related("themes")[:20]
    return render(
        request,
        "evaluations/follow_up.html",
        {"sections": sections, "total": sum(len(s["items"]) for s in sections), "recent": recent},
        status=status,
    )


@permission_required("evaluations.follow_up", raise_exception=True)
def follow_up_list(request):
    return _render_list(request)


@require_POST
@permission_required("evaluations.follow_up", raise_exception=True)
def mark_done(request):
    kind, object_id = request.POST.get("kind", ""), request.POST.get("object_id", "")
    prefix = _prefix(kind, object_id)
    form = FollowUpForm(request.POST, prefix=prefix)
    if not form.is_valid():
        return _render_list(request, refused=form, status=400)
    data = form.cleaned_data
    if not is_open_item(data["kind"], data["object_id"]):
        # Followed up by someone else a moment ago, or a double click: nothing more to record.
        messages.info(request, _("Den här punkten är redan uppföljd."))
        return redirect("evaluations:follow_up")
    mark_followed_up(
        data["kind"],
        data["object_id"],
        note=data["note"],
        method=data["method"],
        themes=data["themes"],
        new_theme=data["new_theme"],
        actor=request.user,
    )
    messages.success(request, _("Uppföljningen är sparad och punkten har tagits bort från listan."))
    return redirect("evaluations:follow_up")


@permission_required("evaluations.follow_up", raise_exception=True)
def coordinator_detail(request, pk):
    evaluation = get_object_or_404(
        Evaluation.objects.select_related("assignment__request__unit", "assignment__resource", "question_set"), pk=pk
    )
    return render(request, "evaluations/coordinator_detail.html", {"evaluation": evaluation, "answers": answers_of(evaluation)})


@permission_required("evaluations.follow_up", raise_exception=True)
def themes(request):
    form = ThemeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            theme = form.save(commit=False)
            theme.created_by = request.user
            theme.save()
            messages.success(request, _("Temat är sparat."))
            return redirect("evaluations:themes")
        status = 400
    theme_list = (
        FollowUpTheme.objects.annotate(follow_up_count=Count("follow_ups", distinct=True))
        .prefetch_related(Prefetch("events", queryset=Event.objects.order_by("-starts_at")))
        .order_by("title")
    )
    return render(
        request,
        "evaluations/themes.html",
        {"themes": theme_list, "form": form, "events": list(ThemeEventForm().fields["event"].queryset)},
        status=status,
    )


@require_POST
@permission_required("evaluations.follow_up", raise_exception=True)
def link_event(request, pk):
    theme = get_object_or_404(FollowUpTheme, pk=pk)
    form = ThemeEventForm(request.POST)
    if form.is_valid():
        link_theme_to_event(theme, form.cleaned_data["event"], actor=request.user)
        messages.success(request, _("Träffen är kopplad till temat."))
    else:
        messages.error(request, _("Välj en träff i listan."))
    return redirect("evaluations:themes")


@require_POST
@permission_required("evaluations.follow_up", raise_exception=True)
def unlink_event(request, pk, event_pk):
    theme = get_object_or_404(FollowUpTheme, pk=pk)
    event = get_object_or_404(theme.events.all(), pk=event_pk)
    unlink_theme_from_event(theme, event, actor=request.user)
    messages.success(request, _("Kopplingen är borttagen."))
    return redirect("evaluations:themes")
