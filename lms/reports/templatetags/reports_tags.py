from django import template

from ..tables import cell_text

register = template.Library()


@register.filter
def cell(value):
    return cell_text(value)


@register.filter
def is_number(value):
    return isinstance(value, int) and not isinstance(value, bool)


@register.filter
def item(sequence, index):
    try:
        return sequence[index]
    except (IndexError, KeyError, TypeError):
        return None
