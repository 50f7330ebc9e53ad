"""Colours, fonts and style: the one source for the charts, the HTML report and the app's pages.

Plain data (no matplotlib, no pandas), so that widgets and the CLI can read a
colour without loading a plotting library. :mod:`.axes` turns :data:`STYLE`
into a matplotlib ``rc_context``.

Chart colours are colour-blind safe and the same everywhere:
:data:`STAGE_COLOURS` (the Okabe-Ito palette) for the seven stages,
:data:`MOOD_COLOURS` (viridis, dark for "awful" to yellow for "rad") for mood
levels. The mood levels' names are the journal's
(:data:`rekindle_widgets.journal.MOOD_LABELS`): a mood is a journal fact, and
the journal sits upstream of the charts.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "DANGER", "DANGER_BG", "DANGER_INK", "FAINT", "GOAL_COLOURS", "INK", "MESSAGE_COLOURS", "MOOD_COLOURS",
    "MUTED", "PALETTE", "PICTURE_BORDER", "READINESS_COLOUR", "SAFETY_LINK", "SECONDARY", "STAGE_COLOURS",
    "STYLE", "TEXT",
]

#: Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour-vision deficiency.
PALETTE: dict[str, str] = {
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "black": "#000000",
}
#: One colour per stage of the guide, used by every chart and report.
STAGE_COLOURS: dict[int, str] = {
    1: PALETTE["orange"], 2: PALETTE["sky"], 3: PALETTE["green"], 4: PALETTE["yellow"],
    5: PALETTE["blue"], 6: PALETTE["vermillion"], 7: PALETTE["purple"],
}
#: Mood 1 (awful) to 5 (rad), sampled from viridis: ordered, and readable in greyscale too.
MOOD_COLOURS: dict[int, str] = {1: "#481d6f", 2: "#33628d", 3: "#1f9a8a", 4: "#69cd5b", 5: "#fde725"}
#: One colour per goal (Okabe-Ito without its pale yellow), each with its own marker, so no goal is told
#: apart by colour alone; past seven goals the line style changes too.
GOAL_COLOURS = (PALETTE["blue"], PALETTE["orange"], PALETTE["green"], PALETTE["vermillion"],
                PALETTE["purple"], PALETTE["sky"], PALETTE["black"])
READINESS_COLOUR = PALETTE["blue"]

INK = "#1f2937"  # text and the mood line
MUTED = "#6b7280"  # secondary text in charts and reports
FAINT = "#d1d5db"  # ranges, connecting lines

# The app's pages (HTML in ipywidgets)
DANGER = "#b3261e"  # safety: the safety panel's edge, the quick-exit button, "required", safety flags
DANGER_BG = "#fff5f4"  # the safety panel's background
DANGER_INK = "#1d1b1b"  # text on DANGER_BG
#: Text on the app's pages follows JupyterLab's theme (light or dark), with a light-theme fallback for Voila.
TEXT = "var(--jp-content-font-color1,#333)"  # the tagline, progress, the answers behind a reason
SECONDARY = "var(--jp-content-font-color2,#555)"  # hints, sources, "questions marked * need an answer"
#: Links inside the light safety panel keep a dark blue in a dark theme too (the theme's link colour is light).
SAFETY_LINK = "#0b4a8f"
#: The frame around a chart picture on a page: the chart keeps its white background in a dark theme too.
PICTURE_BORDER = "#9e9e9e"
#: The app's one-line messages: kind -> (text colour, background).
MESSAGE_COLOURS: dict[str, tuple[str, str]] = {
    "info": ("#0b3d91", "#e8f0fe"), "ok": ("#1b5e20", "#e8f5e9"),
    "error": ("#8e0000", "#fdecea"), "warn": ("#6d4c00", "#fff8e1"),
}

#: matplotlib rc settings every chart is drawn (and saved) with.
STYLE: dict[str, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.titlesize": 13,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.titlepad": 10,
    "axes.labelsize": 10,
    "axes.labelcolor": "#374151",
    "axes.edgecolor": "#9ca3af",
    "axes.linewidth": 0.8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "axes.axisbelow": True,
    "grid.color": "#e5e7eb",
    "grid.linewidth": 0.8,
    "xtick.color": "#4b5563",
    "ytick.color": "#4b5563",
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "legend.frameon": False,
    "legend.fontsize": 9,
    "text.color": INK,
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
    "svg.hashsalt": "rekindle",  # the same chart gives the same SVG
    "text.hinting": "no_hinting",
}
