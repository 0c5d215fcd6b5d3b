from django import forms

from .models import normalise_code


class VerifyForm(forms.Form):
    code = forms.CharField(
        label="Certificate code",
        help_text="As printed on the certificate, for example 7K2M-9QXD-… (capitals and hyphens are optional).",
        max_length=80,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
    )

    def clean_code(self):
        code = normalise_code(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(
                "Enter the code as printed on the certificate: 32 letters and numbers in groups of four."
            )
        return code


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label="Why is this certificate revoked?",
        help_text="Kept with the certificate. The public verification page shows only that it was revoked, and when.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
    )
