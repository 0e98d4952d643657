from django.urls import path, re_path

from registry.views import coordinator, events, own, public

app_name = "registry"
urlpatterns = [
    path("bli-erfarenhetsresurs/", public.apply, name="apply"),
    path("bli-erfarenhetsresurs/tack/", public.apply_thanks, name="apply_thanks"),
    path("fortfarande-med/<str:token>/", public.yearly_check, name="yearly_check"),
    path("traff/<str:token>/", public.event_answer, name="event_answer"),
    path("mina-sidor/traffar/", own.events, name="own_events"),
    path("mina-sidor/traffar/<int:pk>/svar/", own.answer_event, name="own_answer_event"),
    path("mina-sidor/uppgifter/", own.profile, name="own_profile"),
    path("mina-sidor/uppgifter/borta/", own.add_away_period, name="add_away_period"),
    path("mina-sidor/uppgifter/borta/<int:pk>/ta-bort/", own.delete_away_period, name="delete_away_period"),
    path("mina-sidor/paus/", own.pause, name="own_pause"),
    path("mina-sidor/lamna/", own.leave, name="own_leave"),
    re_path(r"^mina-sidor/mina-uppgifter\.(?P<fmt>json|pdf)$", own.download_data, name="own_data"),
    path("samordning/resurser/", coordinator.ResourceListView.as_view(), name="resource_list"),
    path("samordning/resurser/ny/", coordinator.register_on_behalf, name="register_on_behalf"),
    path("samordning/resurser/<int:pk>/", coordinator.ResourceDetailView.as_view(), name="resource_detail"),
    path("samordning/resurser/<int:pk>/status/", coordinator.change_status, name="change_status"),
    path("samordning/resurser/<int:pk>/samtal/", coordinator.book_intake_view, name="book_intake"),
    path("samordning/resurser/<int:pk>/utbildning/", coordinator.record_training_view, name="record_training"),
    path("samordning/resurser/<int:pk>/avsluta/", coordinator.confirm_leaving_view, name="confirm_leaving"),
    path("samordning/resurser/<int:pk>/anteckningar/", coordinator.save_notes_view, name="save_notes"),
    path("samordning/traffar/", events.EventListView.as_view(), name="event_list"),
    path("samordning/traffar/ny/", events.event_form, name="event_create"),
    path("samordning/traffar/<int:pk>/", events.event_detail, name="event_detail"),
    path("samordning/traffar/<int:pk>/andra/", events.event_form, name="event_edit"),
    path("samordning/traffar/<int:pk>/bjud-in/", events.invite_view, name="event_invite"),
    path("samordning/traffar/<int:pk>/narvaro/", events.attendance_view, name="event_attendance"),
    path("samordning/traffar/<int:pk>/stall-in/", events.cancel_view, name="event_cancel"),
]
