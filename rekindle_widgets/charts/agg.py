"""Charts drawn again and again, drawn faster: an Agg canvas that remembers its text, same pixels.

matplotlib 3.11's Agg backend shapes every string (``FT2Font._layout``) and rasterises every glyph
(``FT2Font._render_glyph``) each time a figure is drawn, and each new figure gets a new renderer, so its
text measurements start cold as well. The app redraws the Mood log's timeline after every save: the same
35 labels (months, moods, stage names, legend), about two thirds of the drawing (benchmark P8).

:func:`drawing` lends a figure, while it is saved as PNG, a canvas whose renderer is shared by every
figure of the same pixel size and dpi, and which keeps, bounded:

- each string's shaped layout, keyed by the font files, size, dpi, text, hinting, kerning, features and
  language: everything ``_layout`` reads;
- each glyph's bitmap, keyed by the font, size, dpi, glyph, transform, the sub-pixel part of its position,
  hinting and antialiasing: everything FreeType reads. A whole-pixel shift moves the bitmap, it does not
  change it.

The pixels are the stock canvas's, byte for byte: ``tests/unit/test_charts_agg.py`` draws every chart kind
both ways, wide and narrow, twice. On a matplotlib whose Agg backend is built otherwise (no
``_draw_text_glyphs_and_boxes`` or no ``_layout``) the stock canvas draws. The canvas is lent only for the
save and taken back afterwards: the shared renderer's pixels are read right after its draw, never later.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import matplotlib as mpl
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag
from matplotlib.font_manager import fontManager
from matplotlib.ft2font import FT2Font, RenderMode

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["SUPPORTED", "drawing"]

#: this matplotlib's Agg draws text the way the caches below expect (3.11's shaped layout, glyph by glyph)
SUPPORTED = hasattr(RendererAgg, "_draw_text_glyphs_and_boxes") and all(
    hasattr(FT2Font, name) for name in ("_layout", "_render_glyph", "_set_transform"))
LAYOUTS = 4096  # strings kept per renderer (a chart has 20-60; every chart kind and a report, a few hundred)
GLYPHS = 16384  # glyph bitmaps kept per renderer (each a few hundred bytes)
RENDERERS = 3  # pixel sizes kept (the app's wide and narrow pictures, and one more)


class _Renderer(RendererAgg):
    """Agg's renderer, keeping each string's layout and each glyph's bitmap (see the module's docstring)."""

    def __init__(self, width: float, height: float, dpi: float) -> None:
        super().__init__(width, height, dpi)
        self._layouts: dict[tuple, list[tuple]] = {}
        self._glyphs: dict[tuple, tuple] = {}

    def draw_text(self, gc: Any, x: float, y: float, s: str, prop: Any, angle: float, ismath: Any = False,
                  mtext: Any = None) -> None:
        if ismath:
            return super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
        features = mtext.get_fontfeatures() if mtext is not None else None
        language = mtext.get_language() if mtext is not None else None
        flags = get_hinting_flag()
        size = prop.get_size_in_points()
        key = (tuple(fontManager._find_fonts_by_props(prop)), size, self.dpi, s, flags,
               mpl.rcParams["text.hinting_factor"], mpl.rcParams["text.kerning_factor"],
               None if features is None else tuple(features),
               language if language is None or isinstance(language, str) else tuple(map(tuple, language)))
        items = self._layouts.get(key)
        if items is None:
            font = self._prepare_font(prop)
            items = [(item.ft_object, item.glyph_index, item.x, item.y)
                     for item in font._layout(s, flags=flags, features=features, language=language)]
            if len(self._layouts) >= LAYOUTS:
                self._layouts.clear()
            self._layouts[key] = items
        self._draw_text_glyphs_and_boxes(
            gc, x, y, angle, ((font, size, glyph, 0, 1, gx, gy) for font, glyph, gx, gy in items), [])

    def _draw_text_glyphs_and_boxes(self, gc: Any, x: float, y: float, angle: float, glyphs: Any,
                                    boxes: Any) -> None:
        if boxes:  # mathtext's rules: matplotlib's own way
            return super()._draw_text_glyphs_and_boxes(gc, x, y, angle, glyphs, boxes)
        # as matplotlib's, step by step, but each bitmap made once for its sub-pixel offset and moved
        cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
        load_flags = get_hinting_flag()
        antialiased = gc.get_antialiased()
        height = self.height
        rotation = np.array([[cos, -sin], [sin, cos]])
        transforms: dict[tuple[float, float], tuple[Any, bytes]] = {}  # (extend, slant): one per text, as a rule
        for font, size, glyph_index, slant, extend, dx, dy in glyphs:  # dy is upwards
            transform = transforms.get((extend, slant))
            if transform is None:
                matrix = (0x10000 * rotation @ [[extend, extend * slant], [0, 1]]).round().astype(int)
                transform = transforms[extend, slant] = (matrix, matrix.tobytes())
            matrix, matrix_key = transform
            ox = round(0x40 * (x + dx * cos - dy * sin))
            oy = round(0x40 * (height - y + dx * sin + dy * cos))  # FreeType's y is upwards
            key = (id(font), size, self.dpi, glyph_index, matrix_key, ox & 63, oy & 63, load_flags, antialiased)
            made = self._glyphs.get(key)
            if made is None:
                font.set_size(size, self.dpi)
                font._set_transform(matrix, [ox & 63, oy & 63])
                bitmap = font._render_glyph(glyph_index, load_flags,
                                            RenderMode.NORMAL if antialiased else RenderMode.MONO)
                buffer = np.array(bitmap.buffer)  # a copy: FreeType reuses its own
                if not antialiased:
                    buffer *= 0xff
                if len(self._glyphs) >= GLYPHS:
                    self._glyphs.clear()
                # the font is kept with its bitmap, so its id() names no other font while the entry lives
                made = self._glyphs[key] = (buffer, bitmap.left, bitmap.top, font)
            buffer, left, top, _font = made
            # draw_text_image's y is downwards and the bitmap's bottom side
            self._renderer.draw_text_image(buffer, left + (ox >> 6),
                                           int(height) - (top + (oy >> 6)) + buffer.shape[0], 0, gc)


_RENDERERS: dict[tuple[int, int, float], _Renderer] = {}
_LOCK = threading.RLock()


class _Canvas(FigureCanvasAgg):
    """An Agg canvas drawing with the renderer shared by its pixel size and dpi."""

    def get_renderer(self) -> RendererAgg:
        w, h = self.get_width_height(physical=True)
        key = (w, h, self.figure.dpi)
        renderer = _RENDERERS.get(key)
        if renderer is None:
            while len(_RENDERERS) >= RENDERERS:
                del _RENDERERS[next(iter(_RENDERERS))]  # the oldest size
            renderer = _RENDERERS[key] = _Renderer(w, h, self.figure.dpi)
        self.renderer, self._lastKey = renderer, key
        return renderer


@contextmanager
def drawing(fig: Figure) -> Iterator[None]:
    """While ``fig`` is saved as PNG inside this block, it draws with the shared, remembering canvas.

    A figure pyplot manages keeps its own canvas, as does any figure on a matplotlib this does not suit.
    """
    canvas = fig.canvas
    if not SUPPORTED or getattr(canvas, "manager", None) is not None:
        yield
        return
    with _LOCK:
        _Canvas(fig)
        try:
            yield
        finally:
            fig.set_canvas(canvas)
