from django.urls import path

from requests_app.views import coordinator, public, unit

app_name = "requests_app"
urlpatterns = [
    path("sa-lanar-ni/", public.how_it_works, name="how_it_works"),
    path("verksamhet/anslut/", unit.join, name="join_unit"),
    path("verksamhet/anslutningar/<int:pk>/beslut/", unit.decide_join, name="decide_join"),
    path("verksamhet/ny-verksamhet/", unit.ask_for_new_unit, name="ask_for_unit"),
    path("verksamhet/forfragningar/ny/", unit.new_request, name="new_request"),
    path("verksamhet/forfragningar/<int:pk>/", unit.unit_request, name="unit_request"),
    path("verksamhet/forfragningar/<int:pk>/andra/", unit.edit_request, name="edit_request"),
    path("verksamhet/forfragningar/<int:pk>/meddelande/", unit.unit_message, name="unit_message"),
    path("verksamhet/forfragningar/<int:pk>/aterkalla/", unit.withdraw, name="withdraw"),
    path("verksamhet/forfragningar/<int:pk>/kopiera/", unit.copy, name="copy"),
    path("verksamhet/forfragningar/<int:pk>/bilaga/", unit.unit_attachment, name="unit_attachment"),
    path("samordning/forfragningar/", coordinator.BoardView.as_view(), name="board"),
    path("samordning/forfragningar/<int:pk>/", coordinator.triage_detail, name="triage_detail"),
    path("samordning/forfragningar/<int:pk>/status/", coordinator.change_status, name="change_status"),
    path("samordning/forfragningar/<int:pk>/ansvarig/", coordinator.change_responsible, name="change_responsible"),
    path("samordning/forfragningar/<int:pk>/anteckning/", coordinator.note, name="note"),
    path("samordning/forfragningar/<int:pk>/meddelande/", coordinator.message, name="message"),
    path("samordning/forfragningar/<int:pk>/bilaga/", coordinator.triage_attachment, name="triage_attachment"),
    path("samordning/verksamheter/", coordinator.unit_requests, name="unit_requests"),
    path("samordning/verksamheter/<int:pk>/beslut/", coordinator.decide_unit, name="decide_unit"),
]
