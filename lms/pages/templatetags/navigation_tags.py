"""{% primary_navigation %} for the header and {% breadcrumbs %} for content pages."""

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
