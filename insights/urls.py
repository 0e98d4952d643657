from django.urls import path

from insights import views

app_name = "insights"
urlpatterns = [
    path("samordning/statistik/", views.statistics, name="statistics"),
    path("samordning/statistik/<slug:slug>.csv", views.statistics_csv, name="statistics_csv"),
    path("ekonomi/statistik/", views.finance_statistics, name="finance_statistics"),
    path("ekonomi/statistik/<slug:slug>.csv", views.finance_csv, name="finance_csv"),
    path("samordning/arsrapporter/", views.report_list, name="reports"),
    path("samordning/arsrapporter/ny/", views.report_create, name="report_create"),
    path("samordning/arsrapporter/<int:pk>/pdf/", views.report_download, name="report_download"),
]
