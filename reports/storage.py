"""Where report files are kept: the default storage, or a folder of their own.

`REPORTS_EXPORT_ROOT` (a setting, or the environment variable of that name for a worker started with
the standard settings) gives a folder on disk; the background worker and the web process must share it.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage


def export_storage():
    location = getattr(settings, "REPORTS_EXPORT_ROOT", None) or os.environ.get("REPORTS_EXPORT_ROOT")
    if location:
        return FileSystemStorage(location=str(location))
    return default_storage
