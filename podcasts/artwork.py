"""The artwork rule of podcast apps, checked when an editor chooses a show's or episode's artwork.

Apple Podcasts (and the directories that copy its rule) want a square JPEG or PNG in the RGB
colour space, 1400 to 3000 pixels on each side. We read the chosen image with Pillow and refuse:

- any other format (GIF, WebP, AVIF…), whatever the file name says;
- any mode other than "RGB": CMYK JPEGs (print exports) show with wrong colours or not at all,
  greyscale ("L") and palette ("P") images are not RGB, and a PNG with an alpha channel
  ("RGBA", "LA") is not RGB either: apps flatten the transparency onto black or white as they
  please, so the show's artwork would look different in each app;
- anything not square, or outside 1400 to 3000 pixels.

Only the page forms check (the show's and the episode's `clean()`): the image library stays
general-purpose, since the same images may be used elsewhere on the site.
"""

from PIL import Image as PILImage
from PIL import UnidentifiedImageError

FORMATS = {"JPEG": "JPEG", "PNG": "PNG"}
SMALLEST, LARGEST = 1400, 3000
MODE_NAMES = {
    "CMYK": "CMYK colour (for print)",
    "L": "greyscale",
    "LA": "greyscale with transparency",
    "P": "a palette of colours",
    "RGBA": "RGB with a transparent layer",
    "I;16": "16-bit greyscale",
    "1": "black and white",
}


def problems(image):
    """What is wrong with a Wagtail image as podcast artwork: a list of sentences, empty if fine."""
    try:
        image.file.open("rb")
        try:
            with PILImage.open(image.file) as picture:
                fmt, mode, (width, height) = picture.format, picture.mode, picture.size
        finally:
            image.file.close()
    except (OSError, UnidentifiedImageError, ValueError):
        return ["The artwork file cannot be read as an image. Upload a JPEG or PNG file."]

    found = []
    if fmt not in FORMATS:
        found.append(f"The artwork is a {fmt or 'unknown'} file; podcast apps need a JPEG or PNG.")
    if mode != "RGB":
        described = MODE_NAMES.get(mode, mode)
        found.append(
            f"The artwork is in {described}; podcast apps need RGB colour. Export it as an RGB "
            "JPEG, or a PNG without transparency."
        )
    if width != height or not (SMALLEST <= width <= LARGEST):
        found.append(
            f"The artwork is {width} × {height} pixels; podcast apps need {SMALLEST} to "
            f"{LARGEST} pixels, square."
        )
    return found
