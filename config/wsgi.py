"""WSGI entry point: `gunicorn config.wsgi`.

gunicorn loads it once, before forking its workers (preload_app in
gunicorn.conf.py): what it loads here the workers share.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

# Imported after setup, as the apps' modules are.
from editorial import readability  # noqa: E402

readability.warm()
