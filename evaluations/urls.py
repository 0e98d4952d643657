from django.urls import path

from evaluations.views import answer, follow_up

app_name = "evaluations"
urlpatterns = [
    path("utvardering/<str:token>/", answer.answer_by_link, name="answer"),
    path("mina-sidor/utvarderingar/", answer.own_list, name="own_list"),
    path("mina-sidor/utvarderingar/<int:pk>/", answer.own_detail, name="own_detail"),
    path("verksamhet/utvarderingar/", answer.unit_list, name="unit_list"),
    path("verksamhet/utvarderingar/<int:pk>/", answer.unit_detail, name="unit_detail"),
    path("samordning/uppfoljning/", follow_up.follow_up_list, name="follow_up"),
    path("samordning/uppfoljning/klar/", follow_up.mark_done, name="mark_done"),
    path("samordning/uppfoljning/utvarderingar/<int:pk>/", follow_up.coordinator_detail, name="coordinator_detail"),
    path("samordning/uppfoljning/teman/", follow_up.themes, name="themes"),
    path("samordning/uppfoljning/teman/<int:pk>/traffar/", follow_up.link_event, name="link_event"),
    path(
        "samordning/uppfoljning/teman/<int:pk>/traffar/<int:event_pk>/ta-bort/",
        follow_up.unlink_event,
        name="unlink_event",
    ),
]
