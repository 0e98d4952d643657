from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssignmentsConfig(AppConfig):
    name = "assignments"
    verbose_name = _("Uppdrag och överenskommelser")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from accounts import audit
        from assignments import rules  # noqa: F401 - registers the permissions
        from assignments.documents import receivers  # noqa: F401 - connects the PDF to agreement_signed
        from assignments.selectors import ASSIGNMENT_COUNTS
        from assignments.services.lifecycle import on_choice_confirmed
        from assignments.signals import assignment_done
        from matching import keep
        from matching.signals import choice_confirmed

        # One assignment per chosen person, in the transaction that confirmed the choice.
        choice_confirmed.connect(on_choice_confirmed, dispatch_uid="assignments.create_from_choice")
        # The person's last assignment is recorded with QuerySet.update(): the shortlist's kept row follows.
        assignment_done.connect(keep.on_assignment_done, dispatch_uid="matching.keep.assignment_done")
        audit.track(self.get_model("AgreementTemplate"))
        # The kept counts of the coordinators' list: a status or a session date moves a row in or out.
        for signal in (post_save, post_delete):
            for model in ("Assignment", "Session"):
                signal.connect(ASSIGNMENT_COUNTS.forget, sender=self.get_model(model), dispatch_uid=f"assignment-counts-{model}")
        self._plug_in_pages()

    def _plug_in_pages(self):
        from accounts.context_processors import NAVIGATION
        from accounts.enums import Role
        from assignments import panels
        from pages import panels as page_panels
        from registry import panels as registry_panels
        from requests_app import panels as request_panels

        request_panels.TRIAGE_PAGE.append(panels.triage_panel)
        request_panels.UNIT_PAGE.append(panels.unit_panel)
        registry_panels.RESOURCE_PAGE.append(panels.resource_panel)
        page_panels.COORDINATOR_HOME.append(panels.coordinator_home_panel)
        page_panels.RESOURCE_HOME.append(panels.resource_home_panel)
        page_panels.UNIT_HOME.append(panels.unit_home_panel)
        for item in [
            (Role.RESOURCE, _("Mina uppdrag"), "assignments:own_list"),
            (Role.COORDINATOR, _("Uppdrag"), "assignments:list"),
        ]:
            if item not in NAVIGATION:
                NAVIGATION.append(item)
