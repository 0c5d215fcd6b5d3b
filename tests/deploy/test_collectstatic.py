"""`collectstatic` as an operator runs it: with the production settings' static storage
(WhiteNoise's compressed manifest storage), which rewrites every URL a CSS or JS file names and
fails on one that points at a file that is not there (a vendored file's source map, say)."""

import importlib
import json
import sys

from django.core.management import call_command


def production_settings(monkeypatch):
    monkeypatch.setenv("DJANGO_SECRET_KEY", "collectstatic-test-" + "x" * 40)
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "learning.example.org")
    sys.modules.pop("lms.settings.production", None)
    try:
        return importlib.import_module("lms.settings.production")
    finally:
        sys.modules.pop("lms.settings.production", None)


def test_collectstatic_with_the_production_storage(settings, monkeypatch, tmp_path):
    production = production_settings(monkeypatch)
    settings.STORAGES = production.STORAGES
    settings.STATIC_ROOT = tmp_path

    call_command("collectstatic", "--noinput", verbosity=0)

    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    for name in (
        "vendor/accessible-autocomplete/accessible-autocomplete.min.js",
        "vendor/accessible-autocomplete/accessible-autocomplete.min.css",
        "css/site.css",
        "wagtailadmin/css/core.css",
    ):
        hashed = manifest[name]
        assert hashed != name  # a content hash in the name: cached for ever, safely
        assert (tmp_path / hashed).is_file()
        assert (tmp_path / (hashed + ".gz")).is_file()  # compressed alongside for nginx/WhiteNoise
