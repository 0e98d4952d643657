from django.urls import path  # noqa: F401 - filled in as the pages come

app_name = "compensation"
urlpatterns: list = []
