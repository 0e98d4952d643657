from django.urls import path

from registry import views

app_name = "registry"
urlpatterns = [
    path("samordning/resurser/", views.ResourceListView.as_view(), name="resource_list"),
    path("samordning/resurser/<int:pk>/", views.ResourceDetailView.as_view(), name="resource_detail"),
]
