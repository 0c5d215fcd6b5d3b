"""The podcast: the show page, its episodes, the audio library and the download records.

- A **show** (`PodcastPage`) is the page a listener subscribes from; its feed and its
  `podcast:guid` never move once the show is first saved.
- An **episode** (`EpisodePage`) sits under its show. Its `guid` is made once and never changes,
  so podcast apps never list an edited episode twice. It cannot be published without a
  transcript (WCAG 1.2.1): Wagtail lets a draft be saved without it and refuses to publish.
- **Audio** (`EpisodeAudio`) is wagtailmedia's library with our own model: every upload is read
  with mutagen, refused when it is not MP3 or M4A, and its duration, size and ID3 header
  length are stored for the feed and for the counting rules.
- A **listen** (`Listen`) is one listener's requests for one episode in one 24-hour window: the
  bytes served so far, and the moment they first reached one minute of audio, which makes it
  a download under the IAB Podcast Measurement Guidelines (`podcasts/counting.py`). The listener
  is a salted hash that cannot be turned back into an address; the salt changes every day and
  old salts are deleted.
"""

import secrets
import uuid

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtailmedia.models import AbstractMedia

from lms.core import cache, search
from podcasts import artwork as artwork_rule
from podcasts import audio as audio_facts
from podcasts import feed as rss
from podcasts import pages

# The Podcasting 2.0 namespace for podcast:guid (UUIDv5 of the feed URL without its scheme).
PODCAST_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")


def check_artwork(image):
    """Refuse artwork podcast apps would refuse, with the reasons on the artwork field."""
    if image is None:
        return
    found = artwork_rule.problems(image)
    if found:
        raise ValidationError({"artwork": found})


def podcast_guid(feed_url):
    """`podcast:guid` for a feed URL: scheme and trailing slashes removed, as the namespace says."""
    bare = feed_url.split("://", 1)[-1].rstrip("/")
    return uuid.uuid5(PODCAST_GUID_NAMESPACE, bare)


def audio_upload_to(instance, filename):
    """`podcast-audio/<32 random hex digits>/<the uploaded name>`: a path nobody can guess, so a
    draft's audio cannot be fetched from the media URL before it is published, and no play
    can skip the counted address. In production the prefix is served only through nginx's
    internal location or private storage (README, "Podcast downloads")."""
    return f"podcast-audio/{secrets.token_hex(16)}/{filename}"


class EpisodeAudio(AbstractMedia):
    """An episode's audio file, read on upload."""

    # wagtailmedia's field, stored under an unguessable directory instead of `media/`.
    file = models.FileField(upload_to=audio_upload_to, verbose_name=_("file"))
    size = models.PositiveBigIntegerField(default=0, editable=False, help_text="Bytes.")
    header_bytes = models.PositiveIntegerField(
        default=0, editable=False, help_text="Length of the ID3 tag at the start of an MP3."
    )
    bitrate = models.PositiveIntegerField(default=0, editable=False, help_text="Bits per second.")
    mime_type = models.CharField(max_length=50, blank=True, editable=False)

    admin_form_fields = ("title", "file", "collection", "tags")

    class Meta(AbstractMedia.Meta):
        verbose_name = "episode audio"
        verbose_name_plural = "episode audio"

    def clean(self, *args, **kwargs):
        self.type = "audio"
        super().clean(*args, **kwargs)
        if not self.file:
            return
        try:
            facts = audio_facts.read(self.file, self.file.size)
        except audio_facts.NotAudio:
            raise ValidationError(
                {
                    "file": "This file is not audio we can publish. Upload an MP3 or M4A "
                    "(AAC) file, as exported by your audio editor."
                }
            ) from None
        self.apply(facts)

    def apply(self, facts):
        self.duration = round(facts.duration, 3)
        self.size = facts.size
        self.header_bytes = facts.header_bytes
        self.bitrate = facts.bitrate
        self.mime_type = facts.mime_type

    def facts(self):
        return audio_facts.AudioFacts(
            mime_type=self.mime_type,
            duration=self.duration,
            size=self.size,
            header_bytes=self.header_bytes,
            bitrate=self.bitrate,
        )


class PodcastPage(RoutablePageMixin, Page):
    """A show: what it is, who makes it, where to subscribe, and its feed."""

    description = models.TextField(
        help_text="What the show is about, for the page and for podcast apps (up to 4,000 "
        "characters, plain text).",
        max_length=4000,
    )
    artwork = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Square JPEG or PNG, RGB, 1400 to 3000 pixels on each side (Apple's rule).",
    )
    author = models.CharField(
        max_length=255, help_text="Who makes the show, as podcast apps show it."
    )
    owner_name = models.CharField(max_length=255)
    owner_email = models.EmailField(
        help_text="Podcast directories write here to confirm ownership; it is in the feed."
    )
    category = models.CharField(max_length=100, default="Government", editable=False)
    language = models.CharField(max_length=20, default="en-gb", editable=False)
    explicit = models.BooleanField(
        default=False, help_text="Tick only if episodes contain explicit language or themes."
    )
    copyright = models.CharField(max_length=255, blank=True)
    guid = models.UUIDField(
        null=True,
        editable=False,
        unique=True,
        help_text="podcast:guid, made from the feed URL when the show is first saved; never changes.",
    )
    feed_locked = models.BooleanField(
        "locked against import",
        default=True,
        help_text="podcast:locked: when ticked, other platforms must not import the show "
        "without the owner email's confirmation.",
    )

    content_panels = Page.content_panels + [
        FieldPanel("description"),
        FieldPanel("artwork"),
        MultiFieldPanel(
            [
                FieldPanel("author"),
                FieldRowPanel([FieldPanel("owner_name"), FieldPanel("owner_email")]),
                FieldPanel("copyright"),
                FieldPanel("explicit"),
                FieldPanel("feed_locked"),
            ],
            heading="For podcast apps",
        ),
        InlinePanel("subscribe_links", heading="Subscribe links", label="link"),
    ]
    search_fields = Page.search_fields + [index.SearchField("description")]

    subpage_types = ["podcasts.EpisodePage"]
    exclude_fields_in_copy = ["guid"]

    class Meta:
        verbose_name = "podcast show"

    def clean(self):
        super().clean()
        check_artwork(self.artwork)

    def with_content_json(self, content):
        # An old revision (made before the show had its podcast:guid) must not take it away.
        page = super().with_content_json(content)
        page.guid = self.guid or page.guid
        return page

    def live_episodes(self):
        return (
            published_episodes()
            .child_of(self)
            .select_related("audio")
            .order_by("-published_at", "-pk")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["episodes"] = self.live_episodes()
        context["feed_url"] = rss.feed_url(self, request)
        return context

    @path("feed/", name="feed")
    def feed(self, request):
        """The RSS feed podcast apps subscribe to (`podcasts/feed.py`)."""
        if self.guid is None:  # published before the signal handler existed
            self.give_guid()
        return rss.response(self, request)

    def give_guid(self):
        """Give the show its `podcast:guid`, made from its feed URL, the first time it has a URL
        (on publishing: `podcasts.signals`); never changed afterwards."""
        if self.guid is not None:
            return
        if not self.get_full_url():
            return  # not under any site yet: the first publish under one will do it
        guid = podcast_guid(rss.feed_url(self))
        PodcastPage.objects.filter(pk=self.pk, guid__isnull=True).update(guid=guid)
        cache.bump_site()  # the update sends no signal: cached routes hold the page without it
        self.guid = PodcastPage.objects.values_list("guid", flat=True).get(pk=self.pk)


class SubscribeLink(Orderable):
    show = ParentalKey(PodcastPage, on_delete=models.CASCADE, related_name="subscribe_links")
    name = models.CharField(max_length=100, help_text="For example: Apple Podcasts.")
    url = models.URLField("URL")

    panels = [FieldPanel("name"), FieldPanel("url")]


class EpisodeType(models.TextChoices):
    FULL = "full", "Full episode"
    TRAILER = "trailer", "Trailer"
    BONUS = "bonus", "Bonus"


class EpisodePage(RoutablePageMixin, Page):
    """One episode: its audio, words and transcript."""

    guid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    summary = models.TextField(
        max_length=4000, help_text="One or two sentences for listings and podcast apps."
    )
    show_notes = RichTextField(
        blank=True, features=["h2", "h3", "bold", "italic", "link", "ol", "ul"]
    )
    audio = models.ForeignKey(
        EpisodeAudio, null=True, on_delete=models.PROTECT, related_name="episodes"
    )
    published_at = models.DateTimeField(
        "publication date",
        default=timezone.now,
        help_text="The date podcast apps show; the feed lists episodes newest first.",
    )
    season_number = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1)]
    )
    episode_number = models.PositiveIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1)]
    )
    episode_type = models.CharField(
        max_length=10, choices=EpisodeType.choices, default=EpisodeType.FULL
    )
    artwork = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Optional; the show's artwork is used otherwise. Same rule: square JPEG or "
        "PNG, RGB, 1400 to 3000 pixels.",
    )
    transcript = models.TextField(
        help_text="Everything said, as text. Start a line with a speaker's name and a colon "
        "(\u201cAmira: Welcome…\u201d) to mark who speaks. Required to publish."
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("audio"),
        FieldPanel("published_at"),
        FieldRowPanel(
            [FieldPanel("season_number"), FieldPanel("episode_number"), FieldPanel("episode_type")]
        ),
        FieldPanel("artwork"),
        FieldPanel("show_notes"),
        FieldPanel("transcript"),
        InlinePanel("chapters", heading="Chapters", label="chapter"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("show_notes"),
        index.SearchField("transcript"),
    ]
    search_kind = search.EPISODES

    parent_page_types = ["podcasts.PodcastPage"]
    subpage_types = []
    exclude_fields_in_copy = ["guid"]

    class Meta:
        verbose_name = "podcast episode"

    def clean(self):
        super().clean()
        check_artwork(self.artwork)

    def shown_artwork(self):
        """The episode's own artwork, or the show's."""
        if self.artwork_id:
            return self.artwork
        show = self.get_parent().specific
        return getattr(show, "artwork", None)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["show"] = self.get_parent().specific
        context["paragraphs"] = pages.transcript_paragraphs(self.transcript)
        context["chapters"] = list(self.chapters.all())
        return context

    def duration_text(self):
        """ "12 min 30 s", read from the audio file."""
        return pages.human_duration(self.audio.duration) if self.audio_id else ""

    def duration_iso(self):
        """ "PT12M30S", for `<time datetime>`."""
        return pages.iso_duration(self.audio.duration) if self.audio_id else ""

    @path("transcript/", name="transcript")
    def transcript_file(self, request):
        """The transcript as plain text (the `podcast:transcript` of the feed)."""
        return pages.transcript_response(self)

    @path("chapters/", name="chapters")
    def chapters_file(self, request):
        """Chapters in the Podcasting 2.0 JSON chapters format; 404 when there are none."""
        from django.http import Http404

        if not self.chapters.exists():
            raise Http404("This episode has no chapters.")
        return pages.chapters_response(self)

    def audio_path(self):
        """The counted address of the audio (`podcasts/urls.py`); the feed's enclosure and the
        page's player both use it, so every play goes through the download count."""
        extension = "m4a" if self.audio.mime_type == "audio/mp4" else "mp3"
        return reverse("podcast_audio", kwargs={"guid": self.guid, "extension": extension})


def published_episodes():
    """Episodes anyone may hear: live, and neither they nor their show behind a Wagtail view
    restriction (login, password or groups). The feed, the show page and the audio all use it."""
    return EpisodePage.objects.live().public()


class Chapter(Orderable):
    """A chapter marker: where it starts, what it is called, optionally a link."""

    episode = ParentalKey(EpisodePage, on_delete=models.CASCADE, related_name="chapters")
    start = models.PositiveIntegerField(
        help_text="Seconds from the start of the audio.", validators=[MaxValueValidator(86_400)]
    )
    title = models.CharField(max_length=255)
    url = models.URLField("URL", blank=True)

    panels = [FieldRowPanel([FieldPanel("start"), FieldPanel("title")]), FieldPanel("url")]

    class Meta(Orderable.Meta):
        ordering = ["sort_order", "start"]

    def start_text(self):
        """ "4:05" or "1:02:03", as players show positions."""
        hours, rest = divmod(self.start, 3600)
        minutes, seconds = divmod(rest, 60)
        return f"{hours}:{minutes:02}:{seconds:02}" if hours else f"{minutes}:{seconds:02}"


class DailySalt(models.Model):
    """The secret mixed into listener hashes on one day (Europe/London). Deleted after two days,
    so yesterday's hashes can no longer be linked to an address."""

    day = models.DateField(unique=True)
    salt = models.CharField(max_length=64)

    def __str__(self):
        return str(self.day)


class Listen(models.Model):
    """One listener's requests for one episode within 24 hours of the first."""

    # A listen counts an episode; it is not a use of the page: no index rows per request.
    wagtail_reference_index_ignore = True

    episode = models.ForeignKey(EpisodePage, on_delete=models.PROTECT, related_name="listens")
    listener = models.CharField(
        max_length=64,
        help_text="HMAC of the address (IPv6 cut to its /64) and user agent with the day's salt.",
    )
    started_at = models.DateTimeField()
    last_request_at = models.DateTimeField()
    bytes_served = models.PositiveBigIntegerField(default=0)
    requests = models.PositiveIntegerField(default=0)
    downloaded_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the bytes served first reached one minute of audio: a download.",
    )
    app = models.CharField(max_length=100, blank=True, help_text="From the OPAWG apps list.")

    class Meta:
        indexes = [
            models.Index(fields=["episode", "listener", "started_at"]),
            models.Index(fields=["episode", "downloaded_at"]),
        ]

    def __str__(self):
        return f"{self.episode_id} {self.started_at:%Y-%m-%d %H:%M}"
