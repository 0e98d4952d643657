from django.core.cache import cache
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.middleware import client_ip
from registry import emails
from registry.checks import check_from_token, record_answer
from registry.events import EventError, answer, can_answer, invitation_from_token
from registry.forms import ApplicationForm
from registry.models import YearlyCheck
from registry.services import submit_application

RATE_LIMIT = 10  # applications per IP address and hour


def _rate_limited(request) -> bool:
    key = f"registry:apply:{client_ip(request)}"
    cache.add(key, 0, timeout=3600)
    return cache.incr(key) > RATE_LIMIT


@require_http_methods(["GET", "POST"])
def apply(request):
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.is_spam:
            return redirect("registry:apply_thanks")
        if _rate_limited(request):
            form.add_error(None, _("Vi har fått många anmälningar från din uppkoppling. Vänta en stund och försök igen."))
        else:
            plain, relations = form.split()
            resource, created = submit_application(data=plain, relations=relations, token=form.cleaned_data["token"])
            if resource is not None and not created and resource.submission_token != form.cleaned_data["token"]:
                emails.send_already_registered(resource)
            return redirect("registry:apply_thanks")
    return render(request, "registry/apply.html", {"form": form})


def apply_thanks(request):
    return render(request, "registry/apply_thanks.html")


@require_http_methods(["GET", "POST"])
def yearly_check(request, token):
    """The answer page behind the yearly mail's link. Works without signing in."""
    check = check_from_token(token)
    if check is None:
        return render(request, "registry/yearly_check.html", {"invalid": True}, status=400)
    if request.method == "POST":
        answer = request.POST.get("answer")
        if answer in YearlyCheck.Answer.values:
            recorded = record_answer(check, answer)
            return render(
                request,
                "registry/yearly_check.html",
                {"check": check, "done": recorded, "already": not recorded, "answer": answer},
            )
    if check.answered_at is not None:
        return render(request, "registry/yearly_check.html", {"check": check, "already": True})
    return render(request, "registry/yearly_check.html", {"check": check, "answers": YearlyCheck.Answer.choices})


@require_http_methods(["GET", "POST"])
def event_answer(request, token):
    """The answer page behind the link in an event invitation. Works without signing in."""
    invitation = invitation_from_token(token)
    if invitation is None:
        return render(request, "registry/event_answer.html", {"invalid": True}, status=400)
    context = {"invitation": invitation, "event": invitation.event, "open": can_answer(invitation.event)}
    if request.method == "POST":
        try:
            context["recorded"] = answer(invitation, request.POST.get("response", ""), actor=None)
        except EventError as exc:
            context["error"] = str(exc)
            return render(request, "registry/event_answer.html", context, status=400)
        invitation.refresh_from_db()
    return render(request, "registry/event_answer.html", context)
