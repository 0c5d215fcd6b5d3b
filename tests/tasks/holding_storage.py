"""A file storage that, in the worker under test, stops for good before writing the Nth
certificate PDF and says so by creating a flag file: the test then kills the worker at a known
point in the middle of a batch, instead of guessing with a sleep."""

import os
import threading
from pathlib import Path

from django.core.files.storage import FileSystemStorage


class HoldingStorage(FileSystemStorage):
    saved = 0

    def _save(self, name, content):
        if name.startswith("certificates/") and not name.startswith("certificates/archives/"):
            if HoldingStorage.saved == int(os.environ["LMS_TEST_HOLD_AT"]):
                Path(os.environ["LMS_TEST_HELD_FLAG"]).touch()
                threading.Event().wait()  # until the test kills this process
            HoldingStorage.saved += 1
        return super()._save(name, content)
