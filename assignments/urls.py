from django.urls import include, path

from assignments.views import completion, drafting, pages, signing

app_name = "assignments"

UNIT = {"side": "unit"}
OWN = {"side": "own"}
COORD = {"side": "coordinator"}

urlpatterns = [
    # The care unit's pages: only assignments of the units the user works at.
    path("verksamhet/uppdrag/<int:pk>/", pages.detail, UNIT, name="unit_detail"),
    path("verksamhet/uppdrag/<int:pk>/overenskommelse/", drafting.edit, UNIT, name="unit_edit"),
    path("verksamhet/uppdrag/<int:pk>/tillfallen/ny/", drafting.session_form, UNIT, name="unit_session_add"),
    path("verksamhet/uppdrag/<int:pk>/tillfallen/<int:session_pk>/", drafting.session_form, UNIT, name="unit_session_edit"),
    path(
        "verksamhet/uppdrag/<int:pk>/tillfallen/<int:session_pk>/ta-bort/",
        drafting.session_remove,
        UNIT,
        name="unit_session_remove",
    ),
    path("verksamhet/uppdrag/<int:pk>/skicka/", drafting.send, UNIT, name="unit_send"),
    path("verksamhet/uppdrag/<int:pk>/underteckna/", signing.sign_page, UNIT, name="unit_sign"),
    path("verksamhet/uppdrag/<int:pk>/underteckna/kod/", signing.sign_code, UNIT, name="unit_sign_code"),
    path("verksamhet/uppdrag/<int:pk>/rapport/", completion.report, UNIT, name="unit_report"),
    path("verksamhet/uppdrag/<int:pk>/stall-in/", pages.cancel_view, UNIT, name="unit_cancel"),
    # The person's own pages (Mina sidor → Mina uppdrag): only their own assignments.
    path("mina-sidor/uppdrag/", pages.own_list, name="own_list"),
    path("mina-sidor/uppdrag/<int:pk>/", pages.detail, OWN, name="own_detail"),
    path("mina-sidor/uppdrag/<int:pk>/underteckna/", signing.sign_page, OWN, name="own_sign"),
    path("mina-sidor/uppdrag/<int:pk>/underteckna/kod/", signing.sign_code, OWN, name="own_sign_code"),
    path("mina-sidor/uppdrag/<int:pk>/bekrafta/", completion.confirm, OWN, name="own_confirm"),
    path("mina-sidor/uppdrag/<int:pk>/stammer-inte/", completion.dispute, OWN, name="own_dispute"),
    path("mina-sidor/uppdrag/<int:pk>/stall-in/", pages.cancel_view, OWN, name="own_cancel"),
    # The coordinators'.
    path("samordning/uppdrag/", pages.AssignmentListView.as_view(), name="list"),
    path("samordning/uppdrag/<int:pk>/", pages.detail, COORD, name="detail"),
    path("samordning/uppdrag/<int:pk>/overenskommelse/", drafting.edit, COORD, name="coordinator_edit"),
    path("samordning/uppdrag/<int:pk>/tillfallen/ny/", drafting.session_form, COORD, name="coordinator_session_add"),
    path(
        "samordning/uppdrag/<int:pk>/tillfallen/<int:session_pk>/",
        drafting.session_form,
        COORD,
        name="coordinator_session_edit",
    ),
    path(
        "samordning/uppdrag/<int:pk>/tillfallen/<int:session_pk>/ta-bort/",
        drafting.session_remove,
        COORD,
        name="coordinator_session_remove",
    ),
    path("samordning/uppdrag/<int:pk>/skicka/", drafting.send, COORD, name="coordinator_send"),
    path("samordning/uppdrag/<int:pk>/stall-in/", pages.cancel_view, COORD, name="coordinator_cancel"),
    path("samordning/uppdrag/<int:pk>/avgor/", completion.resolve, COORD, name="coordinator_resolve"),
    # The signed PDF: downloads for the parties and coordinators, and the public verification page.
    path("", include("assignments.urls_documents")),
]
