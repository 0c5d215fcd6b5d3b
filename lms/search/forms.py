from django import forms

# Long enough for any question people type; the search reads at most MAX_WORDS of it.
MAX_LENGTH = 200


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search courses, conferences and podcast episodes",
        max_length=MAX_LENGTH,
        required=False,
        error_messages={
            "max_length": f"Search words must be {MAX_LENGTH} characters or fewer",
        },
        widget=forms.TextInput(attrs={"type": "search"}),
    )
