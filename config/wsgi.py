import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

from anjian.lib.startup import settle  # noqa: E402 - after setup, which it needs

# What the process keeps for its life is set aside from the garbage collector's walks.
settle()
