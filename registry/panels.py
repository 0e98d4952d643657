"""Sections that later apps add to registry pages, without the registry importing them.

A panel is a callable returning HTML ("" for none); later apps register theirs in their
AppConfig.ready(). RESOURCE_PAGE panels get `(http_request, resource)`, POOL_PAGE
panels get `(http_request,)`.
"""

RESOURCE_PAGE: list = []  # the coordinators' page of one person
POOL_PAGE: list = []  # the coordinators' pool list


def render_panels(panels: list, *args) -> list[str]:
    return [html for panel in panels if (html := panel(*args))]
