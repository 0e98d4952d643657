import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# What the app made while starting (settings, URL patterns, models, templates' loaders) lives as
# long as the process: moved out of the garbage collector's sight, so its full collections,
# which otherwise walk all of it now and then in the middle of a request, stay short.
gc.freeze()
