from allauth.account.forms import SignupForm
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class UnitStaffSignupForm(SignupForm):
    """Care-unit staff create their own account, but only with a work address of an allowed domain."""

    full_name = forms.CharField(label=_("Ditt namn"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"}))

    field_order = ["full_name", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Care-unit staff sign in with an e-mailed code: no password to choose or forget.
        self.fields.pop("password1", None)
        self.fields.pop("password2", None)
        self.fields["email"].label = _("Din e-postadress i jobbet")
        honeypot = settings.ACCOUNT_SIGNUP_FORM_HONEYPOT_FIELD
        if honeypot in self.fields:
            # allauth hides its honeypot with an inline style, which our CSP blocks: hide it
            # with our stylesheet instead, and label it for anyone who does reach it.
            self.fields[honeypot] = forms.CharField(
                required=False,
                label=_("Lämna det här fältet tomt"),
                widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
            )

    def clean_email(self):
        email = super().clean_email()
        domain = email.rsplit("@", 1)[-1].lower()
        if domain not in settings.CARE_UNIT_SIGNUP_DOMAINS:
            allowed = ", ".join(f"@{d}" for d in settings.CARE_UNIT_SIGNUP_DOMAINS)
            raise forms.ValidationError(
                _("Använd din e-postadress i jobbet (%(allowed)s). Kontakta samordnarna om du inte har någon sådan.")
                % {"allowed": allowed}
            )
        return email

    def save(self, request):
        user = super().save(request)
        user.full_name = self.cleaned_data["full_name"]
        user.save(update_fields=["full_name"])
        return user
