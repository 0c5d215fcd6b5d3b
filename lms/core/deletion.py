"""Deleting in the Wagtail admin when other records depend on what is deleted.

Wagtail's delete confirmation counts references from its reference index only, which does not
hold this site's records (attendance, bookings), so it said "referenced 0 times" and the
"Yes, delete" that followed failed on the database's PROTECT with a server error. A delete view
with ``ExplainProtectedDeleteMixin`` asks Django's own deletion collector first: the page then
says which records stand in the way and offers no delete button, and a POST anyway (an old tab,
a forged form, a mark made meanwhile) gets the same explanation, not a 500.
"""

from collections import Counter

from django.db import router
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.template.response import TemplateResponse
from django.utils.functional import cached_property

TEMPLATE = "core/confirm_delete_protected.html"


def protected_by(obj):
    """The records that keep ``obj`` from being deleted, as ``[(label, count)]`` by model
    ("attendance", 3), or ``[]`` when it can be deleted. Nothing is deleted."""
    collector = Collector(using=router.db_for_write(type(obj), instance=obj), origin=obj)
    try:
        collector.collect([obj])
    except ProtectedError as error:
        blocking = error.protected_objects
    except RestrictedError as error:
        blocking = error.restricted_objects
    else:
        return []
    counts = Counter(type(record)._meta.verbose_name_plural for record in blocking)
    return sorted(counts.items())


class ExplainProtectedDeleteMixin:
    """For a subclass of Wagtail's generic ``DeleteView``. ``protected_advice`` says what the
    organiser can do instead (shown after the list of what depends on the object)."""

    protected_advice = ""

    @cached_property
    def protected_by(self):
        return protected_by(self.object)

    def get_template_names(self):
        if self.protected_by:
            return [TEMPLATE]
        return super().get_template_names()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.protected_by:
            context.update(
                is_protected=True,  # Wagtail's template then offers no "Yes, delete"
                protected_by=self.protected_by,
                protected_advice=self.protected_advice,
            )
        return context

    def _refuse(self):
        return TemplateResponse(self.request, [TEMPLATE], self.get_context_data(), status=409)

    def form_valid(self, form):
        if self.protected_by:
            return self._refuse()
        try:
            return super().form_valid(form)
        except (ProtectedError, RestrictedError):
            # Something came to depend on it between the page and the click.
            self.__dict__.pop("protected_by", None)
            return self._refuse()
