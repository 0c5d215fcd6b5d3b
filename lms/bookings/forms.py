from django import forms


class BookingAnswersForm(forms.Form):
    needs = forms.CharField(
        label="Do you have any access or dietary needs? (optional)",
        help_text="For example step-free access, a hearing loop, or vegetarian food. "
        "Only the organisers see this.",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "Access or dietary needs must be 1,000 characters or fewer"},
    )
