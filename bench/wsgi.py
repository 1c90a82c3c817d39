"""The platform's WSGI application with the benchmarks' URLs (bench/urls.py: bare views and
the admin changelist beside the product's own), for gunicorn in bench/pages.py."""

from __future__ import annotations

from django.conf import settings

from config.wsgi import application

settings.ROOT_URLCONF = "bench.urls"

__all__ = ["application"]
