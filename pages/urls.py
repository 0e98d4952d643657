from django.urls import path
from django.views.generic import TemplateView

from pages import views

app_name = "pages"
urlpatterns = [
    path("", views.home, name="home"),
    path("start/", views.start, name="start"),
    path("samordning/", views.CoordinatorHomeView.as_view(), name="coordinator_home"),
    path("verksamhet/", views.UnitHomeView.as_view(), name="unit_home"),
    path("mina-sidor/", views.ResourceHomeView.as_view(), name="resource_home"),
    path("ekonomi/", views.FinanceHomeView.as_view(), name="finance_home"),
    path("om/tillganglighet/", TemplateView.as_view(template_name="pages/accessibility.html"), name="accessibility"),
    path("om/personuppgifter/", TemplateView.as_view(template_name="pages/privacy.html"), name="privacy"),
    path("health/", views.health, name="health"),
    path("robots.txt", views.robots),
]
