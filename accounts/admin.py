from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken
from django import forms
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from accounts.audit import log_action
from accounts.models import AuditEntry, IdentityProvider, RoleGrant, RoleMapping, User

# The admin signs in through allauth like every page (password + MFA), never its own form.
admin.site.login = login_required(admin.site.login)
admin.site.site_header = _("Levande bibliotek – administration")
admin.site.site_title = _("Levande bibliotek")


# Administrators see only what they administer. Roles are RoleGrants, not Django groups;
# e-mail addresses are allauth's bookkeeping of the user's own address (changing one by
# hand could hand an account to someone else).
admin.site.unregister(Group)
admin.site.unregister(EmailAddress)
admin.site.unregister(Authenticator)
# Links between accounts and identity providers hold the provider's attributes about a person,
# and we never store tokens: nothing there for an administrator to administer.
admin.site.unregister(SocialAccount)
admin.site.unregister(SocialToken)
admin.site.unregister(SocialApp)


class SocialAppForm(forms.ModelForm):
    """The client secret can be set or replaced, never read back."""

    secret = forms.CharField(
        label=_("hemlighet (client secret)"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Lämna tomt för att behålla den som finns."),
    )

    class Meta:
        model = SocialApp
        fields = ["provider", "provider_id", "name", "client_id", "secret", "key", "settings"]

    def clean_secret(self):
        return self.cleaned_data["secret"] or (self.instance.secret if self.instance.pk else "")


@admin.register(SocialApp)
class SocialAppAdmin(admin.ModelAdmin):
    """The protocol settings of an organisation's identity provider (see README)."""

    form = SocialAppForm
    list_display = ["name", "provider", "provider_id", "client_id"]


@admin.register(Authenticator)
class AuthenticatorAdmin(admin.ModelAdmin):
    """Who has which second factor, and a way to remove a lost one so it can be set up again.

    Never the factor itself: the TOTP secret and the recovery codes are in `data`, which is
    neither shown nor editable. Nobody, administrators included, should read a second factor.
    """

    list_display = ["user", "type", "created_at", "last_used_at"]
    list_filter = ["type"]
    list_select_related = ["user"]
    search_fields = ["user__email"]
    fields = ["user", "type", "created_at", "last_used_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        log_action("accounts.user.second_factor_removed", actor=request.user, obj=obj.user, data={"type": obj.type})
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset.select_related("user"):
            self.delete_model(request, obj)


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    extra = 1
    readonly_fields = ["identity_provider"]


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["email", "full_name", "is_active", "date_joined"]
    list_filter = ["is_active", "role_grants__role"]
    search_fields = ["email", "full_name"]
    fields = ["email", "full_name", "is_active", "break_glass", "hsa_id", "date_joined", "last_login"]
    readonly_fields = ["date_joined", "last_login"]
    inlines = [RoleGrantInline]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["timestamp", "actor_label", "action", "object_type", "object_id", "ip_address"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_label", "object_id", "action"]
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RoleMappingInline(admin.TabularInline):
    model = RoleMapping
    extra = 1


@admin.register(IdentityProvider)
class IdentityProviderAdmin(admin.ModelAdmin):
    """What the region decides about a connected provider; the protocol settings are in "Social applications"."""

    list_display = ["__str__", "is_active", "allow_unit_staff"]
    list_select_related = ["app"]
    fields = ["app", "is_active", "email_domains", "groups_attribute", "hsa_attribute", "strong_contexts", "allow_unit_staff"]
    inlines = [RoleMappingInline]
