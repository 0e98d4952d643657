from django.conf import settings


def site(request):
    return {
        "REGION_NAME": settings.REGION_NAME,
        "COORDINATORS_EMAIL": settings.COORDINATORS_EMAIL,
        "RETENTION_DAYS": settings.RETENTION_DAYS_AFTER_LEAVING,
    }
