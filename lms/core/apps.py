from django.apps import AppConfig


class CoreConfig(AppConfig):
    """lms.core is an app only for its management commands (no models)."""

    name = "lms.core"
    label = "lms_core"
