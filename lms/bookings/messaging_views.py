"""The organisers' page for writing to the people on a run (`messaging.py`): write, see it as each
person will read it, then send."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from wagtail.log_actions import LogFormatter

from . import emails, messaging
from .models import Run


class MessageForm(forms.Form):
    group = forms.ChoiceField(
        label="Who is it for?",
        choices=messaging.MessageGroup.choices,
        widget=forms.RadioSelect,
        help_text="Only people in the group you choose get the message, each by email.",
    )
    subject = forms.CharField(label="Subject", max_length=messaging.SUBJECT_MAX)
    body = forms.CharField(
        label="Message",
        max_length=messaging.BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Leave a blank line between paragraphs. Each email starts “Dear” and the "
        "person's name, names the run and its date, and ends with a link to their bookings.",
    )


def message_people(request, pk):
    """GET: the form. POST "preview": the email as its first reader will see it, and how many it
    goes to. POST "send": the message goes, and the run's page says so. "Change" goes back to the
    form with what was written."""
    if not request.user.has_perm("bookings.change_run"):
        raise PermissionDenied
    run = get_object_or_404(Run.objects.select_related("page", "venue"), pk=pk)
    form = MessageForm(request.POST if request.method == "POST" else None)
    preview = people = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        people = list(messaging.recipients(run, data["group"]))
        if not people:
            form.add_error(
                "group", "Nobody is in that group on this run yet: choose another group."
            )
        elif "send" in request.POST:
            try:
                sent = messaging.message_people(
                    run, data["group"], data["subject"], data["body"], by=request.user
                )
            except messaging.MessageRefused as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(
                    request,
                    f"Your message “{data['subject']}” is on its way to {sent.people} "
                    f"{'person' if sent.people == 1 else 'people'}. It is in the run's history.",
                )
                return redirect("bookings_manage_run", run.pk)
        elif "change" not in request.POST:
            email = emails.run_message(people[0].pk, data["subject"], data["body"])
            preview = {"subject": email.subject, "text": email.body, "to": people[0].person}
    return TemplateResponse(
        request,
        "bookings/admin/message_people.html",
        {
            "run": run,
            "form": form,
            "preview": preview,
            "people": len(people) if people else 0,
            "page_title": f"Message people on {run}",
            "header_title": f"Message people on {run}",
        },
    )


def register_log_actions(actions):
    """How the run's history words a message sent to its people."""

    @actions.register_action("bookings.run_messaged")
    class Messaged(LogFormatter):
        label = "Message people"

        def format_message(self, log_entry):
            data = log_entry.data
            people = data.get("people", 0)
            return (
                f"Message “{data.get('subject', '')}” sent to {people} "
                f"{'person' if people == 1 else 'people'} ({data.get('group_label', '')})"
            )
