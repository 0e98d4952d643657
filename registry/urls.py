from django.urls import path

from registry.views import coordinator, public

app_name = "registry"
urlpatterns = [
    path("bli-erfarenhetsresurs/", public.apply, name="apply"),
    path("bli-erfarenhetsresurs/tack/", public.apply_thanks, name="apply_thanks"),
    path("samordning/resurser/", coordinator.ResourceListView.as_view(), name="resource_list"),
    path("samordning/resurser/ny/", coordinator.register_on_behalf, name="register_on_behalf"),
    path("samordning/resurser/<int:pk>/", coordinator.ResourceDetailView.as_view(), name="resource_detail"),
    path("samordning/resurser/<int:pk>/status/", coordinator.change_status, name="change_status"),
    path("samordning/resurser/<int:pk>/samtal/", coordinator.book_intake_view, name="book_intake"),
    path("samordning/resurser/<int:pk>/utbildning/", coordinator.record_training_view, name="record_training"),
    path("samordning/resurser/<int:pk>/anteckningar/", coordinator.save_notes_view, name="save_notes"),
]
