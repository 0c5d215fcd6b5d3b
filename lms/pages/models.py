"""The site's own pages: the home page, plain content pages, the programme's themes."""

from django.db import models
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, PageChooserPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from lms.core.sections import HOME_PAGE_SECTIONS, THEME_PAGE_SECTIONS, collect

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "link", "ol", "ul"]


class Theme(index.Indexed, models.Model):
    """A strand of the programme (Transforming services, Smarter sourcing…)."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    summary = models.TextField(help_text="One or two sentences for the home page and listings.")
    sort_order = models.PositiveSmallIntegerField(default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("summary"),
        FieldPanel("sort_order"),
    ]
    # The admin sorts search results by the ordering below, so the backend must hold those fields.
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("sort_order"),
        index.FilterField("name"),
    ]

    class Meta:
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class HomePage(Page):
    introduction = models.TextField(
        help_text="What the programme is and who it is for, in a short paragraph."
    )
    body = RichTextField(blank=True, features=RICH_TEXT_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("introduction"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("introduction")]

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    def get_context(self, request, *args, **kwargs):
        """The themes with their pages, and what other apps add (next dates, the visitor's next
        booking, the latest episode: see lms/core/sections.py)."""
        context = super().get_context(request, *args, **kwargs)
        context["themes"] = themes_with_pages()
        context["sections"] = collect(HOME_PAGE_SECTIONS, request, self)
        return context


def themes_with_pages():
    """Every theme, each with `live_page`: its theme page if that is live and public, else None
    (a theme without a page is still shown, unlinked). Two queries."""
    pages = {page.theme_id: page for page in ThemePage.objects.live().public()}
    themes = list(Theme.objects.all())
    for theme in themes:
        theme.live_page = pages.get(theme.pk)
    return themes


class ThemeIndexPage(Page):
    """/themes/: every theme of the programme, linking to its page."""

    introduction = models.TextField(
        blank=True, help_text="A sentence or two above the list of themes."
    )

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    max_count = 1
    parent_page_types = ["pages.HomePage"]
    subpage_types = ["pages.ThemePage"]

    class Meta:
        verbose_name = "themes index"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["theme_pages"] = (
            ThemePage.objects.child_of(self).live().public().select_related("theme")
        )
        return context


class ThemePage(Page):
    """One theme: what it is (the editors' words), its courses with their next dates, and what
    it achieved. The courses and the figures come from the apps that own them (hooks, see
    lms/core/sections.py); nothing on this page is typed in but the words."""

    theme = models.OneToOneField(
        Theme,
        on_delete=models.PROTECT,
        related_name="page",
        help_text="The theme this page is about: its courses and figures are found by it.",
    )
    body = RichTextField(
        features=RICH_TEXT_FEATURES,
        help_text="What the theme is: what it covers, who it is for and why it matters.",
    )

    content_panels = Page.content_panels + [FieldPanel("theme"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("body")]
    parent_page_types = ["pages.ThemeIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "theme page"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sections"] = collect(THEME_PAGE_SECTIONS, request, self, self.theme)
        return context


class StandardPage(Page):
    """A plain page of words: accessibility statement, privacy notice, contact details."""

    summary = models.TextField(blank=True, help_text="Shown under the title.")
    body = RichTextField(features=RICH_TEXT_FEATURES)
    last_reviewed = models.DateField(
        null=True,
        blank=True,
        help_text="Shown at the foot of the page, for example for statements.",
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("last_reviewed"),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("body")]


@register_setting(icon="list-ul")
class FooterLinks(BaseSiteSetting):
    """The pages every footer links to."""

    accessibility_statement = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    privacy_notice = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    contact = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    panels = [
        PageChooserPanel("accessibility_statement"),
        PageChooserPanel("privacy_notice"),
        PageChooserPanel("contact"),
    ]

    class Meta:
        verbose_name = "footer links"


@register_setting(icon="list-ul")
class Navigation(ClusterableModel, BaseSiteSetting):
    """The sections the site's header links to, in order. With none chosen, the header links to
    the home page's children marked "Show in menus" (the page's Promote tab). The personal
    links (My bookings, My learning, My account, the admin) and signing in and out are always
    there, after these."""

    panels = [
        InlinePanel(
            "links",
            heading="Links",
            label="link",
            help_text="For example What's on, Themes and the podcast. Empty: the home page's "
            "children marked “Show in menus”.",
        )
    ]

    class Meta:
        verbose_name = "navigation"


class NavigationLink(Orderable):
    navigation = ParentalKey(Navigation, on_delete=models.CASCADE, related_name="links")
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    label = models.CharField(
        max_length=40,
        blank=True,
        help_text="Keep it short, one or two words. Empty: the page's title.",
    )

    panels = [PageChooserPanel("page"), FieldPanel("label")]

    class Meta(Orderable.Meta):
        verbose_name = "navigation link"

    def __str__(self):
        return self.label or self.page.title
