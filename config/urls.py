from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("pages.urls")),
    path("", include("accounts.urls")),
    path("", include("registry.urls")),
    path("", include("requests_app.urls")),
    path("", include("matching.urls")),
    path("", include("assignments.urls")),
    path("", include("compensation.urls")),
    path("", include("evaluations.urls")),
    path("", include("insights.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

handler403 = "pages.views.error_403"
handler404 = "pages.views.error_404"
