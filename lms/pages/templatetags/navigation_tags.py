"""{% primary_navigation %} for the header, {% breadcrumbs %} for content pages and
{% has_admin_access %} for the admin's user bar."""

from django import template

from lms.pages import navigation

register = template.Library()


@register.inclusion_tag("includes/primary_navigation.html", takes_context=True)
def primary_navigation(context):
    request = context.get("request")
    links = navigation.primary_links(request, context.get("page")) if request else []
    return {"links": links}


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context, page=None):
    """The trail to `page` (by default the page being shown)."""
    request = context.get("request")
    page = page or context.get("page")
    return {"trail": navigation.breadcrumbs(request, page) if request else [], "page": page}


@register.simple_tag(takes_context=True)
def has_admin_access(context):
    """Whether the signed-in person may use the admin (the answer kept in the cache): Wagtail's
    user bar checks the permission itself, two queries on every page for everyone signed in."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated and navigation.has_admin_access(user))
