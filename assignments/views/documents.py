"""The signed agreement's PDF: the parties' download, and the public page that checks a copy."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accounts.audit import log_action
from assignments import verification
from assignments.documents.selectors import documents_for


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Den PDF du vill kontrollera"),
        help_text=gettext_lazy("Filen laddas inte upp någonstans för att sparas: vi räknar bara ut dess kontrollsumma."),
        error_messages={"required": gettext_lazy("Välj en PDF-fil.")},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        verification.validate_upload(upload)
        return upload


class ReferenceForm(forms.Form):
    referens = forms.CharField(
        label=gettext_lazy("Dokumentets referens"),
        help_text=gettext_lazy("Står längst ner på varje sida, till exempel OK-7K3Q-X9MP-2RTD."),
        max_length=40,
        error_messages={"required": gettext_lazy("Skriv referensen.")},
    )


@login_required
def download(request, agreement_pk):
    """The sealed PDF, for the unit's staff, the person and coordinators; anyone else gets 404."""
    document = get_object_or_404(documents_for(request.user), agreement_id=agreement_pk)
    agreement = document.agreement
    log_action(
        "assignments.agreement.document_downloaded",
        actor=request.user,
        obj=agreement.assignment,
        data={"version": agreement.version, "reference": document.reference},
    )
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=f"overenskommelse-{agreement.assignment.reference}-v{agreement.version}.pdf",
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_http_methods(["GET", "POST"])
def verify(request):
    """Public, no sign-in: upload a PDF (POST) or type its reference (GET ?referens=)."""
    upload_form = UploadForm()
    reference_form = ReferenceForm()
    context = {}
    status = 200
    checking = request.method == "POST" or "referens" in request.GET
    if checking and verification.rate_limited(request):
        context["limited"] = True
        status = 429
    elif request.method == "POST":
        upload_form = UploadForm(request.POST, request.FILES)
        if upload_form.is_valid():
            context["verdict"] = verification.verify_file(upload_form.cleaned_data["file"])
        else:
            status = 400
    elif "referens" in request.GET:
        reference_form = ReferenceForm(request.GET)
        if reference_form.is_valid():
            context["typed"] = reference_form.cleaned_data["referens"]
            context["found"] = verification.find_reference(context["typed"])
            context["looked_up"] = True
        else:
            status = 400
    if context.get("limited"):
        # Keep what was typed; the file has to be chosen again anyway.
        reference_form = ReferenceForm(initial={"referens": request.GET.get("referens", "")})
    context.update(upload_form=upload_form, reference_form=reference_form)
    return render(request, "assignments/verify.html", context, status=status)
