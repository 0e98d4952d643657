import uuid
from pathlib import Path

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from compensation.enums import ClaimKind, PaidVia
from compensation.models import Payee, TravelClaim
from compensation.validators import (
    normalise_identity_number,
    validate_bank_account,
    validate_clearing_number,
    validate_receipt,
)

KEEP_SECRET = ("personnummer", "clearing_number", "bank_account")


class PayeeForm(forms.ModelForm):
    """Stored numbers are never sent back to the browser: the fields start empty, and empty keeps them."""

    class Meta:
        model = Payee
        fields = [
            "legal_name",
            "personnummer",
            "street",
            "postal_code",
            "city",
            "tax_status",
            "paid_via",
            "clearing_number",
            "bank_account",
        ]
        widgets = {
            "legal_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "personnummer": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            "street": forms.TextInput(attrs={"autocomplete": "street-address"}),
            "postal_code": forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
            "city": forms.TextInput(attrs={"autocomplete": "address-level2"}),
            "tax_status": forms.RadioSelect,
            "paid_via": forms.RadioSelect,
            "clearing_number": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            "bank_account": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        }
        help_texts = {
            "personnummer": _("Tolv siffror, till exempel 19121212-1212. Har du samordningsnummer skriver du det."),
            "clearing_number": _("Fyra siffror (fem för Swedbank). Står i din internetbank."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.stored = {name: getattr(self.instance, name) for name in KEEP_SECRET} if self.instance.pk else {}
        for name in KEEP_SECRET:
            # People type dashes and spaces; the length is checked on the digits, in clean_*.
            self.fields[name].max_length = None
            self.fields[name].validators = []
            self.fields[name].widget.attrs.pop("maxlength", None)
            self.initial[name] = ""
            if self.stored.get(name):
                self.fields[name].required = False
                self.fields[name].help_text = _("Sparat: %(masked)s. Lämna tomt för att behålla det.") % {
                    "masked": "•" * 6 + self.stored[name][-2:]
                }
        self.fields["clearing_number"].required = False
        self.fields["bank_account"].required = False

    def _secret(self, name, check):
        value = self.cleaned_data.get(name, "")
        if not value and self.stored.get(name):
            return self.stored[name]
        return check(value) if value else ""

    def clean_personnummer(self):
        return self._secret("personnummer", normalise_identity_number)

    def clean_clearing_number(self):
        return self._secret("clearing_number", validate_clearing_number)

    def clean_bank_account(self):
        return self._secret("bank_account", validate_bank_account)

    def clean_postal_code(self):
        digits = self.cleaned_data["postal_code"].replace(" ", "")
        if not (digits.isascii() and digits.isdigit()) or len(digits) != 5:  # "²" is a digit to isdigit()
            raise ValidationError(_("Postnumret är fem siffror, till exempel 582 25."))
        return digits

    def clean(self):
        data = super().clean()
        if data.get("paid_via") == PaidVia.BANK:
            for name in ("clearing_number", "bank_account"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, _("Fyll i detta, eller välj att pengarna betalas via lönesystemets register."))
        else:
            data["clearing_number"] = ""
            data["bank_account"] = ""
        return data


class ClaimForm(forms.ModelForm):
    token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = TravelClaim
        fields = ["session", "kind", "kilometres", "from_place", "to_place", "amount", "receipt"]
        widgets = {
            "kind": forms.RadioSelect,
            "kilometres": forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.1", "min": "0"}),
            "amount": forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01", "min": "0"}),
            "receipt": forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}),
        }
        help_texts = {
            "kilometres": _("Bara för egen bil."),
            "amount": _("Det som står på kvittot eller intyget."),
            "receipt": _("PDF, JPG eller PNG. Ett foto med mobilen går bra."),
        }

    def __init__(self, *args, assignment, **kwargs):
        super().__init__(*args, **kwargs)
        self.assignment = assignment
        self.fields["session"].queryset = assignment.sessions.order_by("date", "starts_at")
        self.fields["session"].empty_label = None
        self.fields["kind"].choices = ClaimKind.choices
        self.fields["token"].initial = uuid.uuid4()
        self.receipt_ending = ""

    def clean_receipt(self):
        upload = self.cleaned_data.get("receipt")
        if upload:
            self.receipt_ending = validate_receipt(upload)
        return upload

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == ClaimKind.MILEAGE:
            for name in ("kilometres", "from_place", "to_place"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, _("Fyll i detta för resa med egen bil."))
        elif kind:
            if not data.get("amount") and "amount" not in self.errors:
                self.add_error("amount", _("Skriv beloppet."))
            if not data.get("receipt") and "receipt" not in self.errors:
                self.add_error("receipt", _("Lägg till kvittot eller intyget."))
        return data

    def save(self, commit=True):
        claim = super().save(commit=False)
        claim.assignment = self.assignment
        upload = self.cleaned_data.get("receipt")
        if upload:
            claim.receipt_name = Path(upload.name).name[:200]
            upload.name = f"{uuid.uuid4().hex}{self.receipt_ending}"
        return claim


class DecisionForm(forms.Form):
    """Approve, approve with a changed number of kilometres or amount, or reject; a change or a
    rejection needs a reason, which the person is sent."""

    decision = forms.ChoiceField(
        label=_("Beslut"),
        choices=[("approve", _("Godkänn")), ("change", _("Godkänn med ändring")), ("reject", _("Godkänn inte"))],
        widget=forms.RadioSelect,
    )
    kilometres = forms.DecimalField(
        label=_("Godkänt antal kilometer, tur och retur"),
        required=False,
        min_value=0,
        max_digits=6,
        decimal_places=1,
        help_text=_("Bara om du ändrar."),
    )
    amount = forms.DecimalField(
        label=_("Godkänt belopp i kronor"),
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
        help_text=_("Bara om du ändrar."),
    )
    reason = forms.CharField(
        label=_("Skäl"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Krävs om du ändrar eller inte godkänner. Personen får se det."),
    )

    def __init__(self, *args, claim: TravelClaim, **kwargs):
        super().__init__(*args, **kwargs)
        self.claim = claim
        # Only the number the claim is about can be changed.
        del self.fields["amount" if claim.kind == ClaimKind.MILEAGE else "kilometres"]

    def clean(self):
        data = super().clean()
        decision = data.get("decision")
        if decision in ("reject", "change") and not (data.get("reason") or "").strip():
            if decision == "reject":
                self.add_error("reason", _("Skriv varför ersättningen inte godkänns."))
            else:
                self.add_error("reason", _("Skriv varför du ändrar ersättningen."))
        field = "kilometres" if self.claim.kind == ClaimKind.MILEAGE else "amount"
        if decision == "change" and data.get(field) is None and field not in self.errors:
            self.add_error(field, _("Skriv vad du godkänner."))
        if decision != "change":
            data[field] = None  # a number typed before choosing another decision is not used
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Skäl"), widget=forms.Textarea(attrs={"rows": 2}))


class BatchForm(forms.Form):
    period_start = forms.DateField(label=_("Från och med"), widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label=_("Till och med"), widget=forms.DateInput(attrs={"type": "date"}))
    token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["token"].initial = uuid.uuid4()

    def clean(self):
        data = super().clean()
        if data.get("period_start") and data.get("period_end") and data["period_end"] < data["period_start"]:
            self.add_error("period_end", _("Slutdatumet kan inte vara före startdatumet."))
        return data
