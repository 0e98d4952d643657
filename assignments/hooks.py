"""Places later apps fill in, without assignments importing them.

AGREEMENT_FEE: callables `(assignment) -> str` giving the fee text that stands in the
agreement and its PDF (plain text, one or more lines); the first non-empty answer wins.
Compensation registers one in its AppConfig.ready(). With none, FEE_FALLBACK is shown.

ASSIGNMENT_PAGE / RESOURCE_ASSIGNMENT_PAGE / UNIT_ASSIGNMENT_PAGE: panels
`(http_request, assignment) -> str` (HTML, "" for none) on the coordinator's, the person's and
the unit's page of one assignment (compensation's fee lines, evaluations' answers).
"""

from django.utils.translation import gettext_lazy as _

AGREEMENT_FEE: list = []
FEE_FALLBACK = _("Arvode enligt regionens ersättningsmodell.")

ASSIGNMENT_PAGE: list = []
RESOURCE_ASSIGNMENT_PAGE: list = []
UNIT_ASSIGNMENT_PAGE: list = []


def fee_text(assignment) -> str:
    for hook in AGREEMENT_FEE:
        if text := hook(assignment):
            return str(text)
    return str(FEE_FALLBACK)


def render_panels(panels: list, http_request, assignment) -> list[str]:
    return [html for panel in panels if (html := panel(http_request, assignment))]
