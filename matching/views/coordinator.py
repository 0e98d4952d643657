"""The coordinator's matching pages: the shortlist, adding by hand, the answers and the choice."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from config.fields import parse_id
from config.rows import rows_html, url_for_id
from matching.enums import AnsweredVia, InquiryStatus
from matching.forms import AnswerForm, ChoiceForm, ConflictForm, HandPickForm, SearchForm, SendForm, WithdrawYesForm
from matching.models import Conflict, Inquiry
from matching.panels import REFUSED_CONFLICT
from matching.scoring import Wish, broken_rules
from matching.selectors import SHORTLIST_PAGE, inquiries_for_request, people_to_add_by_hand, shortlist
from matching.services import (
    SENDABLE,
    MatchingError,
    add_conflict,
    confirm_choice,
    default_deadline,
    remove_conflict,
    send_inquiries,
    withdraw_yes,
)
from registry.selectors import resources_for_coordinators
from requests_app.selectors import requests_for_coordinators


def _request(pk):
    return get_object_or_404(requests_for_coordinators(), pk=pk)


def _request_to_match(pk):
    """The request of a shortlist page: its areas and perspectives are read once, by Wish.of."""
    return get_object_or_404(requests_for_coordinators().prefetch_related(None), pk=pk)


def _limit(request) -> int:
    try:
        return min(max(int(request.GET.get("antal", SHORTLIST_PAGE)), SHORTLIST_PAGE), 200)
    except ValueError:
        return SHORTLIST_PAGE


@permission_required("matching.match", raise_exception=True)
def shortlist_view(request, pk):
    unit_request = _request_to_match(pk)
    limit = _limit(request)
    wish = Wish.of(unit_request)
    candidates, total = shortlist(unit_request, limit=limit, wish=wish)
    asked = set(unit_request.inquiries.values_list("resource_id", flat=True)) if request.method == "POST" else set()
    form = SendForm(
        request.POST or None, candidates=candidates, asked=asked, initial={"deadline": default_deadline(unit_request)}
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            picked = set(form.cleaned_data["people"])
            chosen = [c.resource for c in candidates if c.resource.pk in picked]
            if not chosen and picked <= asked:
                messages.info(request, _("De valda är redan tillfrågade."))
                return redirect("matching:answers", pk=pk)
            try:
                sent = send_inquiries(
                    unit_request,
                    chosen,
                    deadline=form.cleaned_data["deadline"],
                    message=form.cleaned_data["message"],
                    actor=request.user,
                )
            except MatchingError as exc:
                messages.error(request, str(exc))
                return redirect("matching:shortlist", pk=pk)
            messages.success(
                request,
                ngettext("Förfrågan skickades till %(n)d person.", "Förfrågan skickades till %(n)d personer.", len(sent))
                % {"n": len(sent)},
            )
            return redirect("matching:answers", pk=pk)
        messages.error(request, _("Något behöver rättas. Se markeringarna i formuläret."))
        status = 400
    return _shortlist_page(
        request, unit_request, wish=wish, limit=limit, candidates=candidates, total=total, form=form, status=status
    )


# A candidate's row (config.rows): each written from this pattern rather than per row in the
# template, the profile's address reversed once.
CANDIDATE_ROW = (
    '<tr><td><input class="form-check-input" type="checkbox" name="people" value="{pk}" id="id_people_{n}"{checked}{disabled}'
    ' {described}></td><td><label for="id_people_{n}">{name}</label><br><a class="small" href="{url}">{profile}'
    '<span class="visually-hidden">: {name}</span></a></td><td>{points}</td><td id="why-{pk}">{why}</td><td>{lacking}</td></tr>'
)


def _candidate_rows(candidates, *, selected: set, can_send: bool, invalid: bool) -> str:
    profile, profile_text = url_for_id("registry:resource_detail"), _("Profil")
    disabled = "" if can_send else mark_safe(" disabled")
    return rows_html(
        CANDIDATE_ROW,
        (
            {
                "pk": c.resource.pk,
                "n": n,
                "checked": mark_safe(" checked") if c.resource.pk in selected else "",
                "disabled": disabled,
                "described": format_html(
                    'aria-invalid="true" aria-describedby="id_people_error why-{}"' if invalid else 'aria-describedby="why-{}"',
                    c.resource.pk,
                ),
                "name": c.resource.full_name,
                "url": profile(c.resource.pk),
                "profile": profile_text,
                "points": c.points,
                "why": c.explanation.text,
                "lacking": " · ".join(c.explanation.lacking) or "–",
            }
            for n, c in enumerate(candidates)
        ),
    )


def _shortlist_page(request, unit_request, *, wish, limit, candidates, total, form, hand_form=None, status=200):
    """The shortlist page; `hand_form` is a refused by-hand form, shown with its errors and what was typed."""
    search = SearchForm(request.POST if hand_form else request.GET)
    query = search.cleaned_data["sok"].strip() if search.is_valid() else ""
    people = list(people_to_add_by_hand(unit_request, query)) if query else []
    posted = parse_id(hand_form["person"].value()) if hand_form else None
    if posted and posted not in {p.pk for p in people}:
        people = list(people_to_add_by_hand(unit_request, "", pk=posted)) + people
    broken = broken_rules(people, wish)
    deadline = default_deadline(unit_request)
    # The posted values are strings; the rows compare them with the people's integer ids.
    selected = {parse_id(v) for v in form["people"].value() or []} if form.is_bound else set()
    can_send = unit_request.status in SENDABLE
    found = []
    for person in people:
        if hand_form is not None and person.pk == posted:
            person_form = hand_form
        else:
            person_form = HandPickForm(initial={"person": person.pk, "deadline": deadline}, auto_id=f"hand{person.pk}_%s")
        found.append((person, broken[person.pk], person_form))
    return render(
        request,
        "matching/shortlist.html",
        {
            "req": unit_request,
            "wish": wish,
            "candidates": candidates,
            "total": total,
            "limit": limit,
            "more": limit + SHORTLIST_PAGE if total > limit else None,
            "form": form,
            "can_send": can_send,
            "rows_html": _candidate_rows(candidates, selected=selected, can_send=can_send, invalid=bool(form["people"].errors)),
            "query": query,
            "search_error": search.errors.get("sok", [""])[0],
            "found": found,
            "hand_form": hand_form,
        },
        status=status,
    )


@require_POST
@permission_required("matching.match", raise_exception=True)
def add_by_hand(request, pk):
    unit_request = _request(pk)
    form = HandPickForm(request.POST, auto_id=f"hand{parse_id(request.POST.get('person', '')) or ''}_%s")
    if not form.is_valid():
        # Shown again with the errors beside the fields and what was typed kept.
        wish = Wish.of(unit_request)
        candidates, total = shortlist(unit_request, wish=wish)
        send_form = SendForm(candidates=candidates, asked=set(), initial={"deadline": default_deadline(unit_request)})
        return _shortlist_page(
            request,
            unit_request,
            wish=wish,
            limit=SHORTLIST_PAGE,
            candidates=candidates,
            total=total,
            form=send_form,
            hand_form=form,
            status=400,
        )
    person = get_object_or_404(resources_for_coordinators(), pk=form.cleaned_data["person"])
    try:
        send_inquiries(
            unit_request,
            [person],
            deadline=form.cleaned_data["deadline"],
            hand_reason=form.cleaned_data["reason"],
            actor=request.user,
        )
    except MatchingError as exc:
        messages.error(request, str(exc))
        return redirect("matching:shortlist", pk=pk)
    messages.success(request, _("%(name)s har fått förfrågan.") % {"name": person.full_name})
    return redirect("matching:answers", pk=pk)


@permission_required("matching.match", raise_exception=True)
def answers_view(request, pk, *, status=200, answer_form=None, answer_for=None, withdraw_for=None, withdraw_form=None):
    """The answers and the choice. `answer_form` is a refused phone answer for inquiry `answer_for`,
    shown open with its error and what was typed."""
    unit_request = _request(pk)
    inquiries = list(inquiries_for_request(unit_request))
    yes = [i for i in inquiries if i.status == InquiryStatus.YES]
    waiting = [i for i in inquiries if i.status == InquiryStatus.SENT]
    return render(
        request,
        "matching/answers.html",
        {
            "req": unit_request,
            "inquiries": inquiries,
            "yes": yes,
            "waiting": waiting,
            # The state of the answers in one sentence, so the coordinator knows the next step.
            "enough": bool(unit_request.people_count) and len(yes) >= unit_request.people_count,
            "short": bool(inquiries) and not waiting and len(yes) < (unit_request.people_count or 1),
            "chosen": [i for i in inquiries if i.status == InquiryStatus.CHOSEN],
            "can_confirm": unit_request.status == "matching",
            "can_send": unit_request.status in SENDABLE,
            "answer_form": answer_form,
            "answer_for": answer_for,
            "withdraw_for": withdraw_for,
            "withdraw_reason": withdraw_form["reason"].value() if withdraw_form else "",
            "withdraw_error": withdraw_form.errors["reason"][0] if withdraw_form and withdraw_form.errors else "",
        },
        status=status,
    )


@require_POST
@permission_required("matching.match", raise_exception=True)
def confirm(request, pk):
    unit_request = _request(pk)
    form = ChoiceForm(request.POST)
    ids = form.cleaned_data["chosen"] if form.is_valid() else []  # an id that is none: nothing chosen, refused below
    chosen = list(Inquiry.objects.filter(request=unit_request, pk__in=ids))
    try:
        confirm_choice(unit_request, chosen, actor=request.user)
    except MatchingError as exc:
        messages.error(request, str(exc))
        return answers_view(request, pk, status=409)
    messages.success(request, _("Klart! Verksamheten och de valda personerna har fått besked."))
    return redirect("matching:answers", pk=pk)


@require_POST
@permission_required("matching.match", raise_exception=True)
def withdraw(request, pk, inquiry_pk):
    """A yes taken back: the person told the coordinator they can no longer take part."""
    unit_request = _request(pk)
    inquiry = get_object_or_404(Inquiry, request=unit_request, pk=inquiry_pk)
    form = WithdrawYesForm(request.POST)
    if not form.is_valid():
        return answers_view(request, pk, status=400, withdraw_for=inquiry.pk, withdraw_form=form)
    try:
        withdraw_yes(inquiry, reason=form.cleaned_data["reason"], actor=request.user)
    except MatchingError as exc:
        messages.error(request, str(exc))
        return answers_view(request, pk, status=409)
    messages.success(request, _("Ändrat till nej. Personen räknas inte längre bland dem som kan väljas."))
    return redirect("matching:answers", pk=pk)


@require_POST
@permission_required("matching.match", raise_exception=True)
def record_answer(request, pk, inquiry_pk):
    """An answer given by phone or in person, recorded by the coordinator."""
    unit_request = _request(pk)
    inquiry = get_object_or_404(Inquiry, request=unit_request, pk=inquiry_pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return answers_view(request, pk, status=400, answer_form=form, answer_for=inquiry.pk)
    try:
        form.record(inquiry, via=AnsweredVia.COORDINATOR, actor=request.user)
    except MatchingError as exc:
        messages.error(request, str(exc))
        return redirect("matching:answers", pk=pk)
    messages.success(request, _("Svaret är sparat."))
    return redirect("matching:answers", pk=pk)


@require_POST
@permission_required("matching.match", raise_exception=True)
def add_resource_conflict(request, pk):
    resource = get_object_or_404(resources_for_coordinators(), pk=pk)
    form = ConflictForm(request.POST, resource=resource, for_coordinator=True)
    if form.is_valid():
        add_conflict(resource, form.cleaned_data["unit"], note=form.cleaned_data["note"], actor=request.user)
        messages.success(request, _("Jävet är sparat. Personen föreslås inte till den verksamheten."))
        return redirect("registry:resource_detail", pk=pk)
    # The form sits on the registry's page: what was typed goes back there through the session,
    # and the panel shows it with the error beside the field.
    request.session[REFUSED_CONFLICT] = {"resource": resource.pk, "data": {k: request.POST.get(k, "") for k in ("unit", "note")}}
    messages.error(request, _("Jävet sparades inte. Se markeringen i formuläret."))
    return redirect(reverse("registry:resource_detail", args=[pk]) + "#conflict-form")


@require_POST
@permission_required("matching.match", raise_exception=True)
def remove_resource_conflict(request, pk, conflict_pk):
    resource = get_object_or_404(resources_for_coordinators(), pk=pk)
    conflict = get_object_or_404(Conflict, resource=resource, pk=conflict_pk)
    remove_conflict(conflict, actor=request.user)
    messages.success(request, _("Jävet är borttaget."))
    return redirect("registry:resource_detail", pk=pk)
