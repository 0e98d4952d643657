from django import template

from accounts.models import IdentityProvider

register = template.Library()


@register.simple_tag(takes_context=True)
def organisation_sign_ins(context):
    """The connected identity providers, each with the address its sign-in button posts to."""
    request = context["request"]
    buttons = []
    for policy in IdentityProvider.objects.filter(is_active=True).select_related("app").order_by("app__name"):
        provider = policy.app.get_provider(request)
        buttons.append({"name": policy.app.name or policy.app.client_id, "url": provider.get_login_url(request)})
    return buttons
