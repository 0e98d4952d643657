from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.enums import Role

# (role, label, url name): the main navigation, one block per role the user holds.
NAVIGATION = [
    (Role.RESOURCE, _("Mina sidor"), "pages:resource_home"),
    (Role.UNIT_STAFF, _("Våra förfrågningar"), "pages:unit_home"),
    (Role.COORDINATOR, _("Samordning"), "pages:coordinator_home"),
    (Role.COORDINATOR, _("Förfrågningar"), "requests_app:board"),
    (Role.COORDINATOR, _("Erfarenhetsresurser"), "registry:resource_list"),
    (Role.COORDINATOR, _("Träffar"), "registry:event_list"),
    (Role.FINANCE, _("Ekonomi"), "pages:finance_home"),
    (Role.ADMINISTRATOR, _("Granskningslogg"), "accounts:audit_log"),
    (Role.ADMINISTRATOR, _("Administration"), "admin:index"),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [
        {"label": label, "url": reverse(url_name), "current": ""} for role, label, url_name in NAVIGATION if user.has_role(role)
    ]
    # One item is marked (its aria-current): the one whose address is the longest start of this
    # page's, so on /samordning/forfragningar/… it is "Förfrågningar", not also "Samordning".
    containing = [item for item in items if request.path.startswith(item["url"])]
    if containing:
        item = max(containing, key=lambda item: len(item["url"]))
        item["current"] = "page" if request.path == item["url"] else "true"
    return {"nav_items": items}
