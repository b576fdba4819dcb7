import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "townsquare.settings")
application = get_wsgi_application()

from townsquare.runtime.heap import settle  # noqa: E402 -- needs the loaded application

settle()
