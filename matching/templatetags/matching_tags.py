from django import template

from matching.hooks import fee_description

register = template.Library()


@register.filter
def fee(unit_request) -> str:
    """The fee line of a request, through the `matching.hooks.FEE_DESCRIPTION` seam."""
    return fee_description(unit_request)
