"""Photos for printed material: read a phone's picture safely, turn it as the camera held it
(EXIF), crop it to its frame, bring it down to print resolution and, for a black-and-white
printer, to greys — so a 12-megapixel photo makes a PDF of a few hundred kilobytes.

pillow decodes a JPEG directly at 1/2, 1/4 or 1/8 of its size (``draft``) when the frame needs
no more, which keeps a 12-megapixel photo fast.
"""

from __future__ import annotations

import io
from pathlib import Path

from tambo_desktop.errors import TamboError
from tambo_desktop.i18n import _

#: Longest side of a photo kept with a campaign (enough for an A4 poster at 200 dpi).
STORED_SIDE = 2400
PRINT_DPI = 200
MAX_PIXELS = 80_000_000  # a larger "photo" is refused rather than exhausting the memory


def open_image(source: Path | bytes, target: tuple[int, int] | None = None, grey: bool = False):
    """The picture upright, in RGB or greys (transparency on white); a clear error when it is not one."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(source) if isinstance(source, bytes) else Path(source))
        if image.width * image.height > MAX_PIXELS:
            raise TamboError(_("La foto es demasiado grande ({pixels} megapíxeles).").format(
                pixels=image.width * image.height // 1_000_000))  # fmt: skip
        if target and image.format == "JPEG":
            # the frame may be rotated by the EXIF orientation: ask for the larger side both ways
            side = max(target)
            image.draft("L" if grey else "RGB", (side, side))  # the decoder skips colour for greys
        image = ImageOps.exif_transpose(image)
        image.load()
    except FileNotFoundError as error:
        raise TamboError(_("No se encuentra el archivo {name}.").format(name=Path(str(source)).name)) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise TamboError(_("El archivo no es una foto que se pueda leer (JPEG o PNG).")) from error
    if image.mode not in ("RGB", "L"):
        background = Image.new("RGB", image.size, "white")
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    return image


def _jpeg(image, quality: int = 85) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, optimize=False)
    return out.getvalue()


def stored(source: Path | bytes) -> bytes:
    """The photo as kept with a campaign: upright, at most :data:`STORED_SIDE` pixels, JPEG."""
    image = open_image(source, (STORED_SIDE, STORED_SIDE))
    image.thumbnail((STORED_SIDE, STORED_SIDE))
    return _jpeg(image.convert("RGB") if image.mode != "L" else image)


def for_frame(source: Path | bytes, width_mm: float, height_mm: float, grey: bool = True,
              dpi: int = PRINT_DPI) -> bytes:  # fmt: skip
    """The photo cropped to fill a ``width_mm`` × ``height_mm`` frame (centred), at ``dpi``."""
    from PIL import Image

    width = max(1, round(width_mm / 25.4 * dpi))
    height = max(1, round(height_mm / 25.4 * dpi))
    image = open_image(source, (width, height), grey)
    if grey and image.mode != "L":
        image = image.convert("L")
    frame_ratio = width / height
    if image.width / image.height > frame_ratio:  # too wide: cut the sides
        new_width = round(image.height * frame_ratio)
        left = (image.width - new_width) // 2
        box = (left, 0, left + new_width, image.height)
    else:  # too tall: cut top and bottom, keeping a bit more of the top (faces)
        new_height = round(image.width / frame_ratio)
        top = (image.height - new_height) // 3
        box = (0, top, image.width, top + new_height)
    image = image.crop(box)
    if image.width > width:
        image = image.resize((width, height), Image.Resampling.BICUBIC, reducing_gap=2.0)
    return _jpeg(image, 82)
