"""The run editor in the admin: a run and its sessions on one form (Wagtail's model editor with the
sessions inline). Saving never saves the form: it turns what the organiser changed into a
`runs.RunEdit` and hands it to the run services, which tell the people it affects. A change
that tells people is shown first ("2 people holding places will be told: …") and made only when
the organiser confirms; the confirmation page carries everything typed, so going back loses
nothing."""

from datetime import datetime

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from wagtail.admin.views.generic.models import CopyViewMixin, CreateView, EditView

from lms.core.ids import parse_id

from . import runs
from .models import Run, Session
from .services import BookingRefused

NO_SESSION = (
    "Add at least one session: a run cannot open for booking without one. To call off a run "
    "people have booked, cancel it from its “Bookings and waiting list” page instead."
)


def _sessions_formset(form):
    return form.formsets["sessions"]


def _kept_forms(formset):
    deleted = set(formset.deleted_forms) if formset.can_delete else set()
    for subform in formset.forms:
        if subform in deleted or (not subform.has_changed() and subform.instance.pk is None):
            continue
        if not getattr(subform, "cleaned_data", None):
            continue
        yield subform


def _same(stored, typed):
    """Whether a typed value is the stored one, at the editor's precision: times are typed to
    the minute, so a stored time with seconds is not changed by saving it unchanged."""
    if isinstance(stored, datetime) and isinstance(typed, datetime):
        return stored.replace(second=0, microsecond=0) == typed.replace(second=0, microsecond=0)
    return stored == typed


def edit_from_form(run, form):
    """What the organiser asked to change: compared with the run as it is in the database."""
    typed = {name: value for name, value in form.cleaned_data.items() if name in form._meta.fields}
    if run.pk:
        stored = Run.objects.get(pk=run.pk)
        fields = {
            name: value for name, value in typed.items() if not _same(getattr(stored, name), value)
        }
    else:
        fields = typed
    edit = runs.RunEdit(fields=fields)
    formset = _sessions_formset(form)
    stored_sessions = {s.pk: s for s in Session.objects.filter(run=run)} if run.pk else {}
    for subform in formset.deleted_forms if formset.can_delete else []:
        pk = subform.instance.pk
        if pk in stored_sessions:
            edit.removed.append(stored_sessions[pk])
    for subform in _kept_forms(formset):
        data = subform.cleaned_data
        pk = subform.instance.pk
        if pk in stored_sessions:
            session = stored_sessions[pk]
            if not (
                session.title == data["title"]
                and _same(session.starts_at, data["starts_at"])
                and _same(session.ends_at, data["ends_at"])
            ):
                edit.changed.append(
                    runs.SessionChange(session, data["title"], data["starts_at"], data["ends_at"])
                )
        else:
            edit.added.append(runs.NewSession(data["starts_at"], data["ends_at"], data["title"]))
    return edit


def _refuse(view, form, reason):
    form.add_error(None, reason)
    view.produced_error_message = view.get_error_message()
    return view.form_invalid(form)


class AlteredSessionIdsMixin:
    """A session id altered in the form (anything but a whole number) gets a message and the
    editor again, not an error page (modelcluster's formset fails on it)."""

    def post(self, request, *args, **kwargs):
        ids = [
            value
            for name, value in request.POST.items()
            if name.startswith("sessions-") and name.endswith("-id")
        ]
        if any(value != "" and parse_id(value) is None for value in ids):
            messages.error(
                request,
                "The sessions on this form were altered. Nothing was saved: "
                "here is the editor again.",
            )
            return redirect(request.get_full_path())
        return super().post(request, *args, **kwargs)


class RunCreateView(AlteredSessionIdsMixin, CreateView):
    def form_valid(self, form):
        self.form = form
        edit = edit_from_form(Run(), form)
        if not edit.added:
            return _refuse(self, form, NO_SESSION)
        try:
            self.object = runs.create_run(sessions=edit.added, by=self.request.user, **edit.fields)
        except BookingRefused as refusal:
            return _refuse(self, form, str(refusal))
        return self.save_action()


class RunCopyView(CopyViewMixin, RunCreateView):
    """Wagtail's "Copy": a new run filled in from this one, made through the same service."""


class RunEditView(AlteredSessionIdsMixin, EditView):
    confirm_template_name = "bookings/admin/confirm_run_change.html"

    def post(self, request, *args, **kwargs):
        if request.POST.get("back"):
            # Back from the confirmation page: the editor again, with everything as typed.
            self.object = self.get_object()
            form = self.get_form()
            form.is_valid()
            self.form = form
            return self.render_to_response(self.get_context_data(form=form))
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        self.form = form
        edit = edit_from_form(self.object, form)
        stored = Run.objects.get(pk=self.object.pk)
        remaining = stored.sessions.exclude(pk__in=[s.pk for s in edit.removed]).count() + len(
            edit.added
        )
        try:
            if remaining == 0:
                runs.check(stored, edit)  # a booked run: the service's reason
                return _refuse(self, form, NO_SESSION)
            outcome = runs.describe(stored, edit)
            if outcome.summary and not self.request.POST.get("confirmed"):
                runs.check(stored, edit)
                return self.confirm(outcome)
            runs.edit_run(stored, edit, by=self.request.user)
        except BookingRefused as refusal:
            return _refuse(self, form, str(refusal))
        self.object = Run.objects.get(pk=stored.pk)
        if outcome.summary:
            messages.success(self.request, f"Run '{self.object}' updated; {outcome.summary}")
            return self.redirect_after_save()
        return self.save_action()

    def redirect_after_save(self):
        return redirect(self.get_success_url())

    def confirm(self, outcome):
        posted = [
            (name, value)
            for name, values in self.request.POST.lists()
            if name not in ("csrfmiddlewaretoken", "confirmed", "back")
            for value in values
        ]
        return TemplateResponse(
            self.request,
            self.confirm_template_name,
            {
                "run": self.object,
                "outcome": outcome,
                "posted": posted,
                "action_url": reverse(self.edit_url_name, args=[self.object.pk]),
                "page_title": f"Confirm the change to {self.object}",
                "header_title": "Tell the people holding places?",
            },
        )
