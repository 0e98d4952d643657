from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = _("Utvärdering och uppföljning")

    def ready(self):
        from accounts.context_processors import NAVIGATION
        from accounts.enums import Role
        from assignments import hooks
        from assignments.models import Assignment
        from assignments.signals import assignment_done
        from evaluations import panels, services
        from requests_app import panels as request_panels

        assignment_done.connect(services.on_assignment_done, sender=Assignment, dispatch_uid="evaluations.create")
        hooks.RESOURCE_ASSIGNMENT_PAGE.append(panels.resource_assignment_panel)
        hooks.UNIT_ASSIGNMENT_PAGE.append(panels.unit_assignment_panel)
        hooks.ASSIGNMENT_PAGE.append(panels.coordinator_assignment_panel)
        request_panels.UNIT_PAGE.append(panels.unit_request_panel)
        NAVIGATION.extend(
            [
                (Role.RESOURCE, _("Utvärderingar"), "evaluations:own_list"),
                (Role.UNIT_STAFF, _("Utvärderingar"), "evaluations:unit_list"),
                (Role.COORDINATOR, _("Uppföljning"), "evaluations:follow_up"),
            ]
        )
