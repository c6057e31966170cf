"""Design tokens and the one registered Altair theme.

Every colour, font and size a chart uses comes from here. The palette is Okabe-Ito,
which stays distinguishable under the common forms of colour blindness; status
colours are always paired with a symbol as well, so colour is never the only cue.
"""

from __future__ import annotations

import altair as alt

THEME_NAME = "clusterbench"

FONT = '"Segoe UI", Roboto, "Helvetica Neue", Arial, "DejaVu Sans", sans-serif'

# Okabe-Ito palette.
OKABE_ITO = {
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "black": "#000000",
}

INK = "#1f2328"
MUTED = "#57606a"
GRID = "#e4e7eb"
REFERENCE = "#3b3b3b"
NEUTRAL = "#b8c4ce"
LAND = "#f1f3f5"
LAND_FOCUS = "#dde3e9"
BORDER = "#c4ccd4"
BACKGROUND = "#ffffff"

#: Russia against the rest of the world, the same everywhere.
SIDE_COLOURS = {"Russia": OKABE_ITO["vermillion"], "World": OKABE_ITO["blue"]}
#: Cluster kinds on maps and lists: pilots share Russia's colour.
KIND_COLOURS = {"Pilot cluster": OKABE_ITO["vermillion"], "Part of a pilot cluster": OKABE_ITO["purple"],
                "Other Russian cluster": OKABE_ITO["orange"], "Foreign cluster": OKABE_ITO["blue"]}
#: Scorecard statuses, with a symbol for readers who cannot tell the colours apart.
STATUS_COLOURS = {"meets": OKABE_ITO["green"], "partly": OKABE_ITO["yellow"], "fails": OKABE_ITO["vermillion"], "unknown": "#eceff1"}
STATUS_SYMBOLS = {"meets": "●", "partly": "◐", "fails": "✕", "unknown": "?"}
STATUS_LABELS = {"meets": "Meets", "partly": "Partly", "fails": "Fails", "unknown": "Unknown"}
LIGHT_COLOURS = {"green": OKABE_ITO["green"], "amber": OKABE_ITO["orange"], "red": OKABE_ITO["vermillion"]}
#: Scope flag of a figure: initiatives are comparable with Russian participant counts, industries are not.
SCOPE_COLOURS = {"Cluster initiative": OKABE_ITO["vermillion"], "Whole regional industry or park": OKABE_ITO["sky"]}
#: Kinds of policy events.
EVENT_COLOURS = {
    "Law": OKABE_ITO["black"],
    "Government order": OKABE_ITO["vermillion"],
    "Resolution": OKABE_ITO["blue"],
    "Decree": OKABE_ITO["purple"],
    "Programme": OKABE_ITO["green"],
    "Study": OKABE_ITO["sky"],
    "Milestone": OKABE_ITO["orange"],
}

#: Sizes in pixels; no chart text is set below 11 px.
SIZES = {
    "width": 560,
    "title": 16,
    "subtitle": 12,
    "label": 11,
    "axis_title": 12,
    "note": 11,
}

#: In print, charts are set in the PDF's body family (the Typst template's), so text and charts match.
PRINT_FONT = "Libertinus Serif"


def theme() -> dict:
    """The Vega-Lite config shared by every chart."""
    return {
        "config": {
            "font": FONT,
            "background": BACKGROUND,
            "padding": 8,
            "view": {"stroke": None, "continuousWidth": SIZES["width"], "continuousHeight": 300},
            "title": {
                "font": FONT, "fontSize": SIZES["title"], "fontWeight": 600, "color": INK,
                "subtitleFont": FONT, "subtitleFontSize": SIZES["subtitle"], "subtitleColor": MUTED,
                "anchor": "start", "offset": 10,
            },
            "axis": {
                "labelFont": FONT, "titleFont": FONT, "labelFontSize": SIZES["label"],
                "titleFontSize": SIZES["axis_title"], "titleFontWeight": 500, "labelColor": INK,
                "titleColor": INK, "gridColor": GRID, "domainColor": MUTED, "tickColor": MUTED,
                "labelLimit": 260,
            },
            "legend": {
                "labelFont": FONT, "titleFont": FONT, "labelFontSize": SIZES["label"],
                "titleFontSize": SIZES["label"], "titleFontWeight": 600, "labelColor": INK,
                "titleColor": INK, "orient": "bottom", "direction": "horizontal", "labelLimit": 260,
            },
            "header": {"labelFont": FONT, "titleFont": FONT, "labelFontSize": SIZES["label"], "titleFontSize": SIZES["axis_title"]},
            "text": {"font": FONT, "fontSize": SIZES["label"], "color": INK},
            "bar": {"color": OKABE_ITO["blue"]},
            "point": {"filled": True, "size": 70},
            "range": {"category": list(OKABE_ITO.values())},
        }
    }


def _print_fonts(node):
    if isinstance(node, dict):
        return {k: PRINT_FONT if k.endswith(("font", "Font")) and v == FONT else _print_fonts(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_print_fonts(v) for v in node]
    return node


def for_print(spec: dict) -> dict:
    """The spec as the PDF sets it: every chart text in the print family instead of the screen's."""
    return _print_fonts(spec)


def register() -> None:
    """Register the theme and make it the active one (idempotent)."""
    alt.theme.register(THEME_NAME, enable=True)(theme)
