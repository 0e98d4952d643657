from django.urls import path


def boom(request):
    raise RuntimeError("personnummer 19121212-1212 must never reach the page")


urlpatterns = [path("boom/", boom)]
