"""The survey as a form: one field a question, named by the question's id."""

from django import forms

from .models import QuestionKind

REQUIRED_MESSAGES = {
    QuestionKind.LIKERT: "Select how satisfied you are.",
    QuestionKind.SINGLE: "Select an answer.",
    QuestionKind.MULTIPLE: "Select at least one answer.",
    QuestionKind.SCALE: "Select a number from 0 to 10.",
    QuestionKind.TEXT: "Write an answer.",
}


def _field(question):
    options = [(option, option) for option in question.options()]
    common = {
        "label": question.text,
        "help_text": question.hint,
        "required": question.required,
        "error_messages": {"required": REQUIRED_MESSAGES[question.kind]},
    }
    if question.kind == QuestionKind.TEXT:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=3000, **common)
    if question.kind == QuestionKind.MULTIPLE:
        return forms.MultipleChoiceField(
            choices=options, widget=forms.CheckboxSelectMultiple, **common
        )
    if question.kind == QuestionKind.SCALE:
        return forms.TypedChoiceField(
            choices=options, coerce=int, empty_value=None, widget=forms.RadioSelect, **common
        )
    return forms.ChoiceField(choices=options, widget=forms.RadioSelect, **common)


class SurveyForm(forms.Form):
    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            self.fields[self.name_for(question)] = _field(question)

    @staticmethod
    def name_for(question):
        return f"q{question.pk}"

    def answers(self):
        """The cleaned answers, by question id, as `services.submit_response` takes them."""
        return {q.pk: self.cleaned_data.get(self.name_for(q)) for q in self.questions}

    def add_service_errors(self, errors):
        for question in self.questions:
            if question.pk in errors:
                self.add_error(self.name_for(question), errors[question.pk])
