"""The signed agreement's PDF and its public verification page (included from assignments/urls.py)."""

from django.urls import path

from assignments.views import documents

urlpatterns = [
    path("uppdrag/overenskommelser/<int:agreement_pk>/pdf/", documents.download, name="agreement_pdf"),
    path("kontrollera-overenskommelse/", documents.verify, name="verify"),
]
