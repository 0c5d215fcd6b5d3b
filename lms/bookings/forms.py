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


# A register or a provider's file of a few thousand rows is far smaller; anything larger is
# another file picked by mistake.
MAX_IMPORT_BYTES = 1_000_000


class CsvUploadForm(forms.Form):
    """What the attendance and the completion imports' upload forms share: a file of at most
    1 MB, read as UTF-8 text (a spreadsheet's "CSV UTF-8"). Subclasses name the ``file`` field
    with their own label and help text; the CSV itself is read by ``lms.core.imports.read_csv``."""

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError("The file is larger than 1 MB: is it the right file?")
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(
                "The file is not a CSV file saved as UTF-8 text. Save it from your spreadsheet as "
                "“CSV UTF-8” and upload it again."
            ) from None
