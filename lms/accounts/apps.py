from django.apps import AppConfig
from django.db.models.signals import post_migrate
from wagtail.users.apps import WagtailUsersAppConfig


class AccountsConfig(AppConfig):
    default = True
    name = "lms.accounts"
    label = "accounts"
    verbose_name = "People and councils"

    def ready(self):
        from allauth.account.models import EmailAddress
        from django.db.models.signals import post_delete, post_save

        from . import verification
        from .councils import load_councils_after_migrate

        for signal in (post_save, post_delete):
            signal.connect(
                verification.forget, sender=EmailAddress, dispatch_uid=f"verified-{signal}"
            )

        # The council directory is reference data every database needs: keep it loaded
        # whenever migrations run (idempotent; see councils.py).
        post_migrate.connect(
            load_councils_after_migrate, sender=self, dispatch_uid="accounts.load_councils"
        )


class AccountsUsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's users app, with the admin's user forms fitted to our user model."""

    user_viewset = "lms.accounts.admin_users.UserViewSet"
