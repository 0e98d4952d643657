"""The care unit's pages. Every request is fetched through the units the person works at."""

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from requests_app.enums import TRANSITIONS, RequestStatus
from requests_app.forms import JoinUnitForm, MessageForm, RequestForm, UnitJoinRequestForm, WithdrawForm
from requests_app.panels import UNIT_PAGE, render_panels
from requests_app.selectors import joins_to_decide, requests_for_unit_staff
from requests_app.services import (
    RequestError,
    ask_for_unit,
    ask_to_join,
    copy_request,
    decide_unit_request,
    save_request,
    send_message,
    set_request_status,
)
from requests_app.timeline import timeline_for
from requests_app.validators import download_name


def _own_request(request, pk):
    return get_object_or_404(requests_for_unit_staff(request.user), pk=pk)


def _form_page(request, unit_request=None):
    if not request.user.care_units.filter(is_active=True).exists():
        messages.info(request, _("Välj först vilken verksamhet du arbetar på."))
        return redirect("pages:unit_home")
    submitting = request.POST.get("action") == "submit"
    form = RequestForm(
        request.POST or None, request.FILES or None, instance=unit_request, user=request.user, submitting=submitting
    )
    if request.method == "POST":
        if form.is_valid():
            instance, relations = form.split()
            saved = save_request(instance, relations, actor=request.user, token=form.cleaned_data.get("token"), submit=submitting)
            if saved.status == RequestStatus.DRAFT:
                messages.success(request, _("Utkastet är sparat. Du kan fortsätta när du vill."))
                return redirect("requests_app:edit_request", pk=saved.pk)
            messages.success(request, _("Tack! Förfrågan är skickad och har fått referensen %(ref)s.") % {"ref": saved.reference})
            return redirect("requests_app:unit_request", pk=saved.pk)
        messages.error(request, _("Något behöver rättas. Se markeringarna i formuläret."))
        if request.FILES:
            messages.warning(request, _("Välj bilagan igen innan du skickar: webbläsaren sparar inte filer mellan försöken."))
    return render(
        request,
        "requests_app/request_form.html",
        {"form": form, "unit_request": unit_request},
        status=400 if request.method == "POST" else 200,
    )


@permission_required("requests.use_unit_pages", raise_exception=True)
def new_request(request):
    return _form_page(request)


@permission_required("requests.use_unit_pages", raise_exception=True)
def edit_request(request, pk):
    unit_request = _own_request(request, pk)
    if unit_request.status != RequestStatus.DRAFT:
        return redirect("requests_app:unit_request", pk=pk)
    return _form_page(request, unit_request)


@permission_required("requests.use_unit_pages", raise_exception=True)
def unit_request(request, pk, *, message_form=None, withdraw_form=None, status=200):
    """The unit's view of its request; `message_form` or `withdraw_form` is a refused form, shown with its error."""
    obj = _own_request(request, pk)
    if obj.status == RequestStatus.DRAFT:
        return redirect("requests_app:edit_request", pk=pk)
    return render(
        request,
        "requests_app/unit_request.html",
        {
            "req": obj,
            "messages_list": obj.messages.select_related("author"),
            "timeline": timeline_for(obj, for_unit=True),
            "message_form": message_form or MessageForm(),
            "withdraw_form": withdraw_form,
            "can_withdraw": RequestStatus.WITHDRAWN in TRANSITIONS[obj.status],
            "panels": render_panels(UNIT_PAGE, request, obj),
        },
        status=status,
    )


@require_POST
@permission_required("requests.use_unit_pages", raise_exception=True)
def unit_message(request, pk):
    obj = _own_request(request, pk)
    return post_message(
        request,
        obj,
        from_unit=True,
        page=unit_request,
        sent=_("Meddelandet är skickat till samordnarna."),
        back="requests_app:unit_request",
    )


def post_message(request, obj, *, from_unit: bool, page, sent: str, back: str, form=None):
    """Sends the posted message in the request's thread; if it is refused, `page` is shown
    again with the error beside the field and the text kept."""
    form = form or MessageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Meddelandet skickades inte. Se markeringen i formuläret."))
        return page(request, obj.pk, message_form=form, status=400)
    try:
        send_message(obj, form.cleaned_data["body"], actor=request.user, from_unit=from_unit)
    except RequestError as exc:
        messages.error(request, str(exc))
        return page(request, obj.pk, message_form=form, status=409)
    messages.success(request, sent)
    return redirect(back, pk=obj.pk)


@require_POST
@permission_required("requests.use_unit_pages", raise_exception=True)
def withdraw(request, pk):
    obj = _own_request(request, pk)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        # Shown again with the error beside the field and the text kept.
        messages.error(request, _("Förfrågan återkallades inte. Se markeringen i formuläret."))
        return unit_request(request, pk, withdraw_form=form, status=400)
    try:
        set_request_status(obj, RequestStatus.WITHDRAWN, actor=request.user, reason=form.cleaned_data["reason"], by_unit=True)
    except RequestError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Förfrågan är återkallad."))
    return redirect("requests_app:unit_request", pk=pk)


@require_POST
@permission_required("requests.use_unit_pages", raise_exception=True)
def copy(request, pk):
    copy = copy_request(_own_request(request, pk), actor=request.user)
    messages.success(request, _("Här är en kopia som utkast. Fyll i datum och svarsdatum och skicka när du är klar."))
    return redirect("requests_app:edit_request", pk=copy.pk)


@permission_required("requests.use_unit_pages", raise_exception=True)
def unit_attachment(request, pk):
    return attachment_response(_own_request(request, pk))


def attachment_response(obj) -> FileResponse:
    if not obj.attachment:
        raise Http404
    # Always a download, with the type checked at upload and a cleaned name (requests_app.validators).
    name, content_type = download_name(obj.attachment_name or obj.attachment.name, obj.attachment.name)
    response = FileResponse(obj.attachment.open("rb"), as_attachment=True, filename=name, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@permission_required("requests.use_unit_pages", raise_exception=True)
def join(request):
    form = JoinUnitForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Välj en verksamhet i listan."))
        return redirect("pages:unit_home")
    unit = form.cleaned_data["unit"]
    try:
        asked = ask_to_join(request.user, unit)
    except RequestError as exc:
        messages.error(request, str(exc))
        return redirect("pages:unit_home")
    if asked is None:
        messages.info(request, _("Du är redan knuten till %(unit)s.") % {"unit": unit.name})
    elif settings.UNIT_MEMBERS_APPROVE_JOINS:
        messages.success(
            request,
            _(
                "Tack! En samordnare eller någon som arbetar på %(unit)s godkänner att du går med. "
                "Du får ett mejl. Tills dess ser du inte verksamhetens förfrågningar."
            )
            % {"unit": unit.name},
        )
    else:
        messages.success(
            request,
            _(
                "Tack! En samordnare godkänner att du går med i %(unit)s. "
                "Du får ett mejl. Tills dess ser du inte verksamhetens förfrågningar."
            )
            % {"unit": unit.name},
        )
    return redirect("pages:unit_home")


@require_POST
@permission_required("requests.use_unit_pages", raise_exception=True)
def decide_join(request, pk):
    join_request = get_object_or_404(joins_to_decide(request.user), pk=pk)
    approve = request.POST.get("decision") == "approve"
    try:
        decide_unit_request(join_request, approve=approve, actor=request.user)
    except RequestError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Personen är nu knuten till verksamheten.") if approve else _("Förfrågan är avböjd."))
    return redirect("pages:unit_home")


@permission_required("requests.use_unit_pages", raise_exception=True)
def ask_for_new_unit(request):
    form = UnitJoinRequestForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            ask_for_unit(form.save(commit=False), actor=request.user)
            messages.success(request, _("Tack! En samordnare tittar på det och du får ett mejl."))
            return redirect("pages:unit_home")
        messages.error(request, _("Något behöver rättas. Se markeringarna i formuläret."))
    return render(request, "requests_app/ask_for_unit.html", {"form": form})
