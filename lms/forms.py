from django.forms.renderers import TemplatesSetting


class SiteFormRenderer(TemplatesSetting):
    """Renders each form field through the site's field component (label, hint, error, input).

    TemplatesSetting uses the project's TEMPLATES, so templates/includes/field.html is found.
    """

    field_template_name = "includes/field.html"
