"""The answer page behind the link in an inquiry mail. Works without signing in; GET never changes anything."""

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from matching.enums import AnsweredVia, InquiryStatus
from matching.forms import AnswerForm
from matching.services import MatchingError, inquiry_from_token


@require_http_methods(["GET", "POST"])
def answer_by_link(request, token):
    inquiry, problem = inquiry_from_token(token)
    if inquiry is None:
        return render(request, "matching/answer.html", {"problem": problem}, status=400)
    context = {"inquiry": inquiry, "req": inquiry.request, "problem": problem}
    if problem:  # the link was used already: say what the answer was, change nothing
        return render(request, "matching/answer.html", context, status=409)
    if inquiry.status == InquiryStatus.SENT and inquiry.deadline < timezone.now():
        context["error"] = _("Tiden för att svara har gått ut. Tack ändå! Samordnaren hör av sig om det behövs.")
        return render(request, "matching/answer.html", context, status=409)
    form = AnswerForm(request.POST or None)
    context["form"] = form
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "matching/answer.html", context, status=400)
        try:
            recorded = form.record(inquiry, via=AnsweredVia.LINK)
        except MatchingError as exc:
            context["error"] = str(exc)
            return render(request, "matching/answer.html", context, status=409)
        context.update(done=True, inquiry=recorded)
    return render(request, "matching/answer.html", context)
