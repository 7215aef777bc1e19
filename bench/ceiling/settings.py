"""Minimal settings for the ceiling app (see bench/ceiling/__init__.py)."""

SECRET_KEY = "ceiling-benchmark-only"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.ceiling.urls"
INSTALLED_APPS = []
MIDDLEWARE = []
DATABASES = {}
USE_I18N = False
USE_TZ = True
WSGI_APPLICATION = "bench.ceiling.wsgi.application"
