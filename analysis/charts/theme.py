"""Design tokens and the one registered Altair theme.

Every colour, font and size a chart uses comes from here. The palette is Okabe-Ito,
which stays distinguishable under the common forms of colour blindness; status
colours are always paired with a symbol as well, so colour is never the only cue.
"""

from __future__ import annotations

import textwrap

import altair as alt

from analysis import text

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

#: The Russian edition's words for the labels above, which the legends and tooltips show (`said`).
RUSSIAN = {
    "Russia": "Россия", "World": "Мир",
    "Pilot cluster": "Пилотный кластер", "Part of a pilot cluster": "Часть пилотного кластера",
    "Other Russian cluster": "Другой российский кластер", "Foreign cluster": "Зарубежный кластер",
    "Meets": "Выполняется", "Partly": "Частично", "Fails": "Не выполняется", "Unknown": "Нет данных",
    "Green": "Зелёный", "Amber": "Жёлтый", "Red": "Красный",
    "Cluster initiative": "Кластерная инициатива", "Whole regional industry or park": "Отрасль региона или парк в целом",
    "Law": "Федеральный закон", "Government order": "Распоряжение Правительства", "Resolution": "Постановление Правительства",
    "Decree": "Указ Президента", "Programme": "Программа", "Study": "Исследование", "Milestone": "Ключевое событие",
    # fields of the specialisation gap (`charts.GAP_COLOURS`)
    "Russian pilots present": "Российские пилотные кластеры есть",
    "Many clusters worldwide, no Russian pilot": "Много кластеров в мире, пилотных нет",
    "Few clusters worldwide, no Russian pilot": "Мало кластеров в мире, пилотных нет",
    # what each side of the funding comparison measures (`indicators.funding_comparison`)
    "share of specialist organisations by source": "доля специализированных организаций, назвавших источник",
    "share of the budget of cluster organisations": "доля в бюджете кластерных организаций",
    # success factors across the two sides (`indicators.factor_overlap`)
    "shared": "названы обеими сторонами", "foreign only": "только зарубежные страны", "Russian only": "только российские кластеры",
    # what `indicators` writes beside the data: positions against the critical mass, SME measures, normalised figures
    "below the minimum range": "ниже минимального диапазона", "within the minimum range": "в пределах минимального диапазона",
    "above the minimum, below the global average": "выше минимума, но ниже среднего в мире",
    "at or above the global average": "на уровне среднего в мире или выше",
    "Russian pilots, all": "Российские пилотные кластеры, все", "Russian pilots, ICT clusters excluded": "Российские пилотные кластеры без ИКТ",
    "European model: SMEs are the majority": "Европейская модель: МСП составляют большинство",
    "Employees per organisation": "Работников на одну организацию", "Export share of sales (%)": "Доля экспорта в продажах (%)",
    "Patents granted per 1,000 employees (cumulative)": "Выданные патенты на 1000 работников (накопленным итогом)",
    # quality flags, as the glossary names them
    "reported": "по данным источника", "derived": "расчётное", "estimate": "оценка источника", "ambiguous": "неоднозначное",
}


def said(label: str) -> str:
    """One of the labels above in the language spoken."""
    return text.say(label, RUSSIAN.get(label, label))


def status_labels() -> dict[str, str]:
    """Scorecard statuses as the language spoken names them."""
    return {k: said(v) for k, v in STATUS_LABELS.items()}


#: Number formats of the Russian edition's charts (d3-format's locale): 1 234,5.
NUMBER_LOCALE_RU = {"decimal": ",", "thousands": "\u00a0", "grouping": [3], "currency": ["", " руб."]}
#: Dates of the Russian edition's charts (d3-time-format's ru-RU locale).
TIME_LOCALE_RU = {
    "dateTime": "%A, %e %B %Y г. %X", "date": "%d.%m.%Y", "time": "%H:%M:%S", "periods": ["AM", "PM"],
    "days": ["воскресенье", "понедельник", "вторник", "среда", "четверг", "пятница", "суббота"],
    "shortDays": ["вс", "пн", "вт", "ср", "чт", "пт", "сб"],
    "months": ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"],
    "shortMonths": ["янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"],
}


def locale() -> dict:
    """The chart config that sets numbers and dates the way the language spoken writes them; the theme's
    (English) formats need none."""
    if text.language() != "ru":
        return {}
    return {"locale": {"number": NUMBER_LOCALE_RU, "time": TIME_LOCALE_RU}}


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
#: Typst has Libertinus Serif built in; vl-convert, which lays the chart out, measures the text with Linux
#: Libertine (Debian's fonts-linuxlibertine), the family Libertinus was forked from, with the same widths.
#: Without it, vl-convert guessed widths from another font, twice too wide for Cyrillic.
PRINT_FONT = '"Libertinus Serif", "Linux Libertine O"'
#: The width a chart is set at in the PDF (A4 less the template's margins), and the smallest
#: size its text may print at there.
PRINT_TEXT_WIDTH_PT = 431
PRINT_MIN_PT = 8
#: The tallest a chart is set in the PDF (205 mm, as the Typst template's figure rule says);
#: a taller one is scaled down to it.
PRINT_MAX_HEIGHT_PT = 581
#: Long category labels wrap onto lines of about this many characters instead of taking half the width.
LABEL_CHARS = 46
#: On screen, titles and subtitles wrap at about these lengths...
TITLE_CHARS = {"text": 70, "subtitle": 100}
#: ...and in print at these, so they never set the chart's width.
PRINT_TITLE_CHARS = {"text": 54, "subtitle": 80}
#: ...and the x-axis title of a view narrower than this (in screen pixels) wraps as well.
NARROW_VIEW = 200


_WRAP_LABEL = f"split(trim(replace(datum.label, regexp('(.{{1,{LABEL_CHARS}}})(\\\\s+|$)', 'g'), '$1\\n')), '\\n')"
#: A wrapped label is moved up by half its extra lines, so its lines sit centred on the band.
_CENTRE_LABEL = {"expr": f"-{round(SIZES['label'] * 0.6, 1)} * (length({_WRAP_LABEL}) - 1)"}


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
            # long category labels wrap onto lines (Vega draws a label given as a list of strings as lines)
            "axisYBand": {"labelExpr": _WRAP_LABEL, "labelOffset": _CENTRE_LABEL},
            "header": {"labelFont": FONT, "titleFont": FONT, "labelFontSize": SIZES["label"], "titleFontSize": SIZES["axis_title"]},
            "text": {"font": FONT, "fontSize": SIZES["label"], "color": INK},
            "bar": {"color": OKABE_ITO["blue"]},
            "point": {"filled": True, "size": 70},
            "range": {"category": list(OKABE_ITO.values())},
        }
    }


def rebuild(spec, change):
    """A copy of a spec in which `change(node)` may alter each object, deepest first. Inline
    data (`datasets`) is kept as it is, never walked."""
    if isinstance(spec, list):
        return [rebuild(v, change) for v in spec]
    if not isinstance(spec, dict):
        return spec
    return change({k: v if k == "datasets" else rebuild(v, change) for k, v in spec.items()})


def _print_font(node: dict) -> dict:
    return {k: PRINT_FONT if k.endswith(("font", "Font")) and v == FONT else v for k, v in node.items()}


def _without_hint(node: dict, hint: str) -> dict:
    """The object without the subtitle line that tells a reader on screen how to use the chart."""
    title = node.get("title")
    if isinstance(title, dict) and isinstance(title.get("subtitle"), list) and hint in title["subtitle"]:
        node["title"] = {**title, "subtitle": [line for line in title["subtitle"] if line != hint]}
    return node


def _wrap_titles(node: dict) -> dict:
    """Titles wrapped for print; in a narrow view, the x-axis title too."""
    width = node.get("width")
    if isinstance(width, (int, float)) and width < NARROW_VIEW:
        for view in [node, *node.get("layer", [])]:
            if isinstance(view.get("encoding"), dict):
                view["encoding"] = _wrap_axis_titles(view["encoding"])
    title = node.get("title")
    if isinstance(title, dict):
        node["title"] = {**title, **{key: _lines(title[key], chars) for key, chars in PRINT_TITLE_CHARS.items() if key in title}}
    return node


def _wrap_axis_titles(encoding: dict) -> dict:
    if not isinstance(encoding.get("x"), dict) or not isinstance(encoding["x"].get("title"), str):
        return encoding
    return {**encoding, "x": {**encoding["x"], "title": _lines(encoding["x"]["title"], 20)}}


def _upright_labels(node: dict) -> dict:
    """Slanted axis labels stand upright, and legends hold at most two items a row: slanted
    labels and long legends reach sideways past the plot and widen the chart, which the PDF
    then prints smaller."""
    if isinstance(node.get("labelAngle"), (int, float)) and node["labelAngle"] % 90:
        node["labelAngle"] = -90
    if isinstance(node.get("legend"), dict) and node["legend"].get("columns", 0) > 2:
        node["legend"] = {**node["legend"], "columns": 2}
    return node


def _lines(text, chars: int) -> list[str]:
    """`text` (a string, or lines) as lines of at most about `chars` characters. Lines that were
    wrapped before (they end mid-sentence) are joined first, so a narrower wrap reads evenly."""
    lines = [text] if isinstance(text, str) else list(text)
    sentences: list[str] = []
    for line in lines:
        if sentences and not sentences[-1].rstrip().endswith((".", "!", "?")):
            sentences[-1] = f"{sentences[-1]} {line}"
        else:
            sentences.append(line)
    return [part for sentence in sentences for part in (textwrap.wrap(sentence, chars) or [""])]


def wrap(text: str | list[str], chars: int) -> str | list[str]:
    """A title as lines of at most about `chars` characters; a short one stays a string."""
    lines = _lines(text, chars)
    return lines[0] if len(lines) == 1 else lines


def for_print(spec: dict) -> dict:
    """The spec as the PDF sets it: every chart text in the print family instead of the
    screen's, titles wrapped, slanted labels upright, and no hint on using it on screen."""
    hint = spec.get("usermeta", {}).get("hint")

    def change(node: dict) -> dict:
        node = _print_font(node)
        if hint:
            node = _without_hint(node, hint)  # before the titles are re-wrapped
        return _upright_labels(_wrap_titles(node))

    spec = rebuild(spec, change)
    config = dict(spec.get("config", {}))
    # a legend's items in rows of two, so a legend is never wider than its chart
    config["legend"] = {**config.get("legend", {}), "columns": 2}
    return {**spec, "config": config}


def register() -> None:
    """Register the theme and make it the active one (idempotent)."""
    alt.theme.register(THEME_NAME, enable=True)(theme)
