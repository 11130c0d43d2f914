"""Draw the station icon (a parcel on a scale) as resources/icons/station.png and .ico.

Run once when the design changes: `python packaging/make_icon.py`.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

SIZE = 256
ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
ICO_SIZES = [(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)]


def draw(size: int = SIZE) -> Image.Image:
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    s = size / 256
    pen.rounded_rectangle((8 * s, 8 * s, 248 * s, 248 * s), radius=44 * s, fill="#1f6f5c")
    pen.rectangle((40 * s, 196 * s, 216 * s, 212 * s), fill="#e8f1ee")
    pen.rectangle((112 * s, 180 * s, 144 * s, 196 * s), fill="#e8f1ee")
    pen.polygon(
        [(64 * s, 92 * s), (128 * s, 60 * s), (192 * s, 92 * s), (128 * s, 124 * s)],
        fill="#f3c77a",
    )
    pen.polygon(
        [(64 * s, 92 * s), (128 * s, 124 * s), (128 * s, 176 * s), (64 * s, 148 * s)],
        fill="#d9a24e",
    )
    pen.polygon(
        [(192 * s, 92 * s), (128 * s, 124 * s), (128 * s, 176 * s), (192 * s, 148 * s)],
        fill="#c48a3a",
    )
    pen.line([(96 * s, 76 * s), (160 * s, 108 * s)], fill="#fff6e5", width=max(1, round(8 * s)))
    return image


def main() -> None:
    ICONS.mkdir(parents=True, exist_ok=True)
    image = draw()
    image.save(ICONS / "station.png")
    image.save(ICONS / "station.ico", sizes=ICO_SIZES)


if __name__ == "__main__":
    main()
