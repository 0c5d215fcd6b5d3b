"""Real MP3 files made on this machine, for the demo show and the tests.

A gentle melody of sine tones, encoded by LAME (lameenc) at a constant bit rate, with an ID3 tag
in front like the files audio editors export. No network, no external program.
"""

import io
import math
from array import array

import lameenc
from mutagen.id3 import ID3, TALB, TIT2

SAMPLE_RATE = 16_000
# A pentatonic phrase (Hz); each note lasts NOTE seconds with a soft attack and release.
NOTES = (392.0, 440.0, 523.25, 587.33, 659.25, 587.33, 523.25, 440.0)
NOTE = 0.5


def _pcm(seconds, seed):
    total = int(seconds * SAMPLE_RATE)
    per_note = int(NOTE * SAMPLE_RATE)
    samples = array("h", bytes(2 * total))
    two_pi = 2 * math.pi
    for start in range(0, total, per_note):
        freq = NOTES[(start // per_note + seed) % len(NOTES)]
        length = min(per_note, total - start)
        step = two_pi * freq / SAMPLE_RATE
        for i in range(length):
            envelope = min(1.0, i / 400, (length - i) / 800)
            samples[start + i] = int(6000 * envelope * math.sin(step * i))
    return samples.tobytes()


def mp3(seconds, title="Nudges for Social Good", album="Nudges for Social Good", seed=0, kbps=32):
    """MP3 bytes of `seconds` of audio (mono, 16 kHz, constant `kbps`), with an ID3v2 tag."""
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(kbps)
    encoder.set_in_sample_rate(SAMPLE_RATE)
    encoder.set_out_sample_rate(SAMPLE_RATE)
    encoder.set_channels(1)
    encoder.set_quality(7)
    audio = bytes(encoder.encode(_pcm(seconds, seed)) + encoder.flush())
    tagged = io.BytesIO(audio)
    tags = ID3()
    tags.add(TIT2(encoding=3, text=title))
    tags.add(TALB(encoding=3, text=album))
    tags.save(tagged)
    return tagged.getvalue()
