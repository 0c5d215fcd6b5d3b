from django.urls import reverse
from wagtail import hooks

from lms.core.exports import ExportingModelViewSet

from .admin_users import UserDeleteBulkAction
from .models import Council
from .permissions import ReadOnlyModelPermissionPolicy


class CouncilViewSet(ExportingModelViewSet):
    """The council directory, read-only: it is loaded from mySociety's register."""

    model = Council
    icon = "site"
    menu_label = "Councils"
    menu_order = 900
    add_to_admin_menu = True
    inspect_view_enabled = True
    list_display = [
        "official_name",
        "get_type_display",
        "get_region_display",
        "gss_code",
        "end_date",
    ]
    list_filter = ["type", "region"]
    list_export = [
        "code",
        "official_name",
        "name",
        "gss_code",
        "type",
        "region",
        "start_date",
        "end_date",
    ]
    search_fields = ["official_name", "name", "alt_names", "gss_code", "code"]
    # 365 rows: a plain database filter, always in step with the loader (which bulk-writes and
    # so would bypass a search index).
    search_backend_name = None
    ordering = ["official_name"]
    # Wagtail builds add/edit views for every model viewset; the permission policy below means
    # nobody can reach them.
    exclude_form_fields = []

    @property
    def permission_policy(self):
        # Reference data: browse, search, inspect and export; never add, change or delete by hand.
        return ReadOnlyModelPermissionPolicy(self.model)


@hooks.register("register_admin_viewset")
def register_council_viewset():
    return CouncilViewSet("councils")


# After Wagtail's own user actions (order 0), so that this "Delete" takes the place of its one.
hooks.register("register_bulk_action", UserDeleteBulkAction, order=100)


@hooks.register("register_account_menu_item")
def change_email_address(request):
    # The admin's account page does not change the address itself (see admin_account.py).
    return {
        "url": reverse("account_email"),
        "label": "Change your email address",
        "help_text": "A new address is used once you confirm it from the email we send to it.",
    }


@hooks.register("register_account_menu_item")
def change_password(request):
    return {
        "url": reverse("account_change_password"),
        "label": "Change your password",
        "help_text": "On the site's account pages.",
    }
