"""The show's RSS feed: what podcast apps subscribe to, at `<show URL>feed/`.

RSS 2.0 written by Django's feed generator, with the tags Apple Podcasts requires and recommends
(`itunes:`) and the Podcasting 2.0 tags (`podcast:guid`, `podcast:locked`,
`podcast:transcript`, `podcast:chapters`). Every URL in it is absolute, on the show's site
(Wagtail's Site: its hostname and port).

Apps poll feeds often, so the feed is kept in the cache and answered with 304 Not Modified when
the app already has it (ETag and Last-Modified). One version number stands for every podcast
page and audio file: publishing, unpublishing, moving or deleting a show or an episode, or
replacing an audio file, raises it (`podcasts/signals.py`), and cached copies keyed by the old
version are never read again.
"""

import hashlib
import re
from datetime import UTC
from html import escape as html_escape

import lxml.html
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, quote_etag
from django.utils.feedgenerator import Enclosure, Rss201rev2Feed
from django.utils.http import http_date
from django.utils.xmlutils import SimplerXMLGenerator
from wagtail.rich_text import expand_db_html
from wagtail.views import serve as wagtail_serve

from lms.core import cache as cache_versions
from podcasts import pages

ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST = "https://podcastindex.org/namespace/1.0"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
CONTENT_TYPE = "application/rss+xml; charset=utf-8"
ARTWORK_RENDITION = "max-3000x3000|format-jpeg|jpegquality-90"
VERSION_NAME = "podcasts:feed"
TIMEOUT = 60 * 60 * 24
# Control characters XML 1.0 cannot carry (tab, newline and carriage return it can). Pasted text
# brings them in, such as Word's manual line break (\x0b).
NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def xml_text(text):
    """The text without the control characters XML 1.0 forbids."""
    return NOT_XML.sub("", text) if text else text


class FeedXMLGenerator(SimplerXMLGenerator):
    """Writes every text and attribute through xml_text: one stray control character in an
    episode must not make the whole feed fail for every subscriber."""

    def characters(self, content):
        super().characters(xml_text(content))

    def startElement(self, name, attrs):
        super().startElement(name, {key: xml_text(value) for key, value in (attrs or {}).items()})


class PodcastFeed(Rss201rev2Feed):
    """RSS 2.0 with the iTunes, Podcasting 2.0 and content namespaces."""

    content_type = CONTENT_TYPE

    def write(self, outfile, encoding):
        # Rss201rev2Feed.write, with FeedXMLGenerator.
        handler = FeedXMLGenerator(outfile, encoding, short_empty_elements=True)
        handler.startDocument()
        self.add_stylesheets(handler)
        handler.startElement("rss", self.rss_attributes())
        handler.startElement("channel", self.root_attributes())
        self.add_root_elements(handler)
        self.write_items(handler)
        self.endChannelElement(handler)
        handler.endElement("rss")

    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:itunes": ITUNES,
            "xmlns:podcast": PODCAST,
            "xmlns:content": CONTENT,
        }

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        feed = self.feed
        handler.addQuickElement("itunes:author", feed["itunes_author"])
        handler.addQuickElement("itunes:image", attrs={"href": feed["itunes_image"]})
        handler.addQuickElement("itunes:category", attrs={"text": feed["itunes_category"]})
        handler.addQuickElement("itunes:explicit", "true" if feed["itunes_explicit"] else "false")
        handler.startElement("itunes:owner", {})
        handler.addQuickElement("itunes:name", feed["owner_name"])
        handler.addQuickElement("itunes:email", feed["owner_email"])
        handler.endElement("itunes:owner")
        handler.addQuickElement("itunes:type", "episodic")
        handler.addQuickElement("podcast:guid", feed["podcast_guid"])
        handler.addQuickElement(
            "podcast:locked",
            "yes" if feed["podcast_locked"] else "no",
            {"owner": feed["owner_email"]},
        )

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item["content_encoded"]:
            handler.addQuickElement("content:encoded", item["content_encoded"])
        handler.addQuickElement("itunes:title", item["title"])
        handler.addQuickElement("itunes:duration", str(item["itunes_duration"]))
        if item["itunes_episode"]:
            handler.addQuickElement("itunes:episode", str(item["itunes_episode"]))
        if item["itunes_season"]:
            handler.addQuickElement("itunes:season", str(item["itunes_season"]))
        handler.addQuickElement("itunes:episodeType", item["itunes_episode_type"])
        if item["itunes_image"]:
            handler.addQuickElement("itunes:image", attrs={"href": item["itunes_image"]})
        handler.addQuickElement(
            "podcast:transcript",
            attrs={
                "url": item["transcript_url"],
                "type": pages.TRANSCRIPT_TYPE,
                "language": "en-gb",
            },
        )
        if item["chapters_url"]:
            handler.addQuickElement(
                "podcast:chapters", attrs={"url": item["chapters_url"], "type": pages.CHAPTERS_TYPE}
            )

    def latest_post_date(self):
        # lastBuildDate: when anything in the feed last changed, not when it was written.
        return self.feed["last_changed"]


def invalidate(*args, **kwargs):
    """Signal receiver: something a feed shows changed, so every cached feed is stale. The
    version is kept the way the catalogue's is (`lms/core/cache.py`)."""
    cache_versions.bump_version(VERSION_NAME)


def live_episodes(show):
    """The show's published episodes that have audio (`PodcastPage.live_episodes`: this module
    does not import the models, which import it)."""
    return (
        show.live_episodes()
        .filter(audio__isnull=False)
        .select_related("audio", "artwork")
        .prefetch_related("chapters")
    )


def feed_url(show, request=None):
    return show.get_full_url(request) + show.reverse_subpage("feed")


def site_root(show, request=None):
    """ "https://example.org": the root of the site the show is on (Wagtail's Site)."""
    _, root, _ = show.get_url_parts(request)
    return root


def absolute(root, url):
    return url if "://" in url else root.rstrip("/") + url


def absolute_links(html, root):
    """Show notes with their site-relative links (`href="/page/"`, `src="/media/…"`) made
    absolute on the show's site: podcast apps show the notes away from it."""
    if not html or not html.strip():
        return html
    wrapper = lxml.html.fragment_fromstring(html, create_parent="div")
    for element in wrapper.iter():
        for attribute in ("href", "src"):
            value = element.get(attribute)
            if value and value.startswith("/") and not value.startswith("//"):
                element.set(attribute, absolute(root, value))
    return html_escape(wrapper.text or "", quote=False) + "".join(
        lxml.html.tostring(child, encoding="unicode") for child in wrapper
    )


def show_notes(episode, root):
    if not episode.show_notes:
        return ""
    return absolute_links(xml_text(expand_db_html(episode.show_notes)), root)


def artwork_url(image, root):
    return absolute(root, image.get_rendition(ARTWORK_RENDITION).url)


def last_changed(show, episodes):
    moments = [show.last_published_at]
    for episode in episodes:
        moments += [episode.last_published_at, episode.audio.created_at]
    return max(moment for moment in moments if moment is not None).replace(microsecond=0)


def build(show, request):
    """The feed document (bytes) and when its content last changed."""
    episodes = list(live_episodes(show))
    root = site_root(show, request)
    changed = last_changed(show, episodes)
    feed = PodcastFeed(
        title=show.title,
        link=show.get_full_url(request),
        description=show.description,
        language=show.language,
        feed_url=feed_url(show, request),
        feed_copyright=show.copyright or None,
        itunes_author=show.author,
        itunes_image=artwork_url(show.artwork, root) if show.artwork_id else "",
        itunes_category=show.category,
        itunes_explicit=show.explicit,
        owner_name=show.owner_name,
        owner_email=show.owner_email,
        podcast_guid=str(show.guid),
        podcast_locked=show.feed_locked,
        last_changed=changed,
    )
    for episode in episodes:
        page_url = episode.get_full_url(request)
        chapters = list(episode.chapters.all())
        feed.add_item(
            title=episode.title,
            link=page_url,
            description=episode.summary,
            pubdate=episode.published_at,
            unique_id=str(episode.guid),
            unique_id_is_permalink=False,
            enclosures=[
                Enclosure(
                    absolute(root, episode.audio_path()),
                    str(episode.audio.size),
                    episode.audio.mime_type,
                )
            ],
            content_encoded=show_notes(episode, root),
            itunes_duration=round(episode.audio.duration or 0),
            itunes_episode=episode.episode_number,
            itunes_season=episode.season_number,
            itunes_episode_type=episode.episode_type,
            itunes_image=artwork_url(episode.artwork, root) if episode.artwork_id else "",
            transcript_url=page_url + episode.reverse_subpage("transcript"),
            chapters_url=page_url + episode.reverse_subpage("chapters") if chapters else "",
        )
    return feed.writeString("utf-8").encode("utf-8"), changed


def cache_key(show):
    return f"podcasts:feed:{show.pk}:{cache_versions.version(VERSION_NAME)}"


def address_key(request):
    """The cache key of the feed last answered at this host and path, under the current version."""
    version = cache_versions.version(VERSION_NAME)
    return f"podcasts:feed-at:{request.get_host()}:{request.path}:{version}"


def answer(request, cached):
    """The 200 or the 304 for a cached feed (body, ETag, when it last changed)."""
    body, etag, changed = cached
    timestamp = int(changed.astimezone(UTC).timestamp())
    reply = get_conditional_response(request, etag=etag, last_modified=timestamp)
    if reply is None:
        reply = HttpResponse(body, content_type=CONTENT_TYPE)
    reply["ETag"] = etag
    reply["Last-Modified"] = http_date(timestamp)
    reply["Cache-Control"] = "public, max-age=300"
    return reply


def response(show, request):
    """The feed, from the cache when it is there; 304 when the app already has this version.

    A public show's feed is also kept under the address it was asked at (`address_key`), so the
    next request there is answered by `served_from_cache` without routing."""
    key = cache_key(show)
    cached = cache.get(key)
    if cached is None:
        body, changed = build(show, request)
        cached = (body, quote_etag(hashlib.sha256(body).hexdigest()[:32]), changed)
        cache.set(key, cached, TIMEOUT)
    if not show.get_view_restrictions().exists():
        cache.set(address_key(request), cached, TIMEOUT)
    return answer(request, cached)


def served_from_cache(request, path):
    """Any `…/feed/` address, before Wagtail routes it: apps poll feeds all day, and finding the
    show (the Site, the page route, the specific page) cost as much as the feed itself, so a
    304 saved nothing. The feed last answered at this host and path under the current version
    is answered at once, 200 or 304, with no query; anything else (first request after a
    change, a private show, not a feed at all) goes to Wagtail's page serving as before. The
    version is raised by every change a feed shows (`podcasts/signals.py`), so a stale copy is
    never read."""
    cached = cache.get(address_key(request)) if request.method in ("GET", "HEAD") else None
    if cached is None:
        return wagtail_serve(request, path)
    return answer(request, cached)
