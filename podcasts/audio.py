"""What an audio file holds, read with mutagen: duration, bit rate, size and ID3 header length.

The feed needs the size and duration, the counting rules need "one minute of audio plus the ID3
header" in bytes, and an upload that is not audio must be refused with a clear message.
"""

import math
from dataclasses import dataclass

import mutagen
from mutagen.id3 import ID3, ID3NoHeaderError

# What each format is called in a feed enclosure and an HTTP Content-Type.
MIME_TYPES = {"MP3": "audio/mpeg", "MP4": "audio/mp4"}


class NotAudio(ValueError):
    """The file is not an MP3 or M4A audio file we can read."""


@dataclass(frozen=True)
class AudioFacts:
    mime_type: str
    duration: float  # seconds
    size: int  # bytes
    header_bytes: int  # the ID3 tag at the start of an MP3 (0 when there is none)
    bitrate: int  # bits per second, as the file declares it (0 when unknown)

    def bytes_for_seconds(self, seconds):
        """Bytes from the start of the file that carry `seconds` of audio, header included;
        the whole file when it is shorter than that."""
        if self.duration <= seconds or self.duration <= 0:
            return self.size
        audio_bytes = self.size - self.header_bytes
        return min(self.size, self.header_bytes + math.ceil(audio_bytes * seconds / self.duration))


def read(fileobj, size):
    """Facts about an open audio file; raises NotAudio when it cannot be read as MP3 or M4A."""
    fileobj.seek(0)
    try:
        parsed = mutagen.File(fileobj)
    except mutagen.MutagenError as error:
        raise NotAudio(str(error)) from error
    finally:
        fileobj.seek(0)
    kind = type(parsed).__name__ if parsed is not None else None
    if kind not in MIME_TYPES or not getattr(parsed.info, "length", 0):
        raise NotAudio("not an MP3 or M4A file")
    header = 0
    if kind == "MP3":
        try:
            header = ID3(fileobj).size
        except ID3NoHeaderError:
            header = 0
        finally:
            fileobj.seek(0)
    return AudioFacts(
        mime_type=MIME_TYPES[kind],
        duration=float(parsed.info.length),
        size=int(size),
        header_bytes=int(header),
        bitrate=int(getattr(parsed.info, "bitrate", 0) or 0),
    )
