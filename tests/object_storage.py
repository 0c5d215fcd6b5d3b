"""A stand-in for object storage (S3 through django-storages): files live in no folder of this
machine, so any code that reached for a local path (`.path`, `open(MEDIA_ROOT / …)`) fails, as it
would with several machines sharing a bucket; and `url()` is signed, as S3Storage's is with
query-string authentication on a private bucket."""

import sys

from django.core.files.storage import InMemoryStorage


class ObjectStorage(InMemoryStorage):
    def path(self, name):
        # InMemoryStorage finds its own files through path(); anyone else is refused, as
        # S3Storage refuses (its path() raises NotImplementedError).
        if sys._getframe(1).f_globals.get("__name__") == "django.core.files.storage.memory":
            return super().path(name)
        raise NotImplementedError("object storage has no local path: use the storage API")

    def url(self, name):
        return f"https://bucket.example.net/{name}?X-Amz-Expires=300&X-Amz-Signature=signed"


def use_object_storage(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "tests.object_storage.ObjectStorage"},
    }
