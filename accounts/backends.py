from django.apps import apps
from django.contrib import admin

MODEL_PERMISSION_VERBS = ("add", "change", "delete", "view")


class AdministratorBackend:
    """Administrators may use Django's admin for every model registered there.

    Only administration models are registered (users, roles, taxonomies, rates, the
    read-only logs); health profiles are not, so this grants no access to them.
    Business permissions are `rules` predicates and never look like model permissions.
    """

    def authenticate(self, request, **credentials):
        return None

    def has_perm(self, user_obj, perm, obj=None):
        if not (user_obj.is_active and user_obj.is_staff):
            return False
        app_label, _, codename = perm.partition(".")
        verb, _, model_name = codename.partition("_")
        if verb not in MODEL_PERMISSION_VERBS:
            return False
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            return False
        # Only what the admin offers: a model left out of it (profiles, conflicts of
        # interest, second factors' secrets) grants nothing, whatever asks.
        return admin.site.is_registered(model)

    def has_module_perms(self, user_obj, app_label):
        return user_obj.is_active and user_obj.is_staff
