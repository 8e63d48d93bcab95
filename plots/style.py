"""The house style: one palette, one set of rcParams, and the one way figures are made and saved.

Every figure function builds its artists inside ``house_style()`` (a ``matplotlib.rc_context``), so
a user's global rcParams are never changed, and makes its Figure with ``new_figure`` (the OO API:
no pyplot state, safe headless).
"""

from __future__ import annotations

import io
import os
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

import matplotlib
from matplotlib.axes import Axes
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.text import Text

# Okabe & Ito (2008): distinguishable under the common colour-vision deficiencies and in greyscale
# by lightness.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

TRAIN = OKABE_ITO["blue"]
"""Colour of the training distribution in every figure."""
DEPLOY = (OKABE_ITO["vermillion"], OKABE_ITO["reddish_purple"], OKABE_ITO["orange"], OKABE_ITO["sky_blue"])
"""Colours of deployment distributions, in order: warm, to contrast with the training blue."""
KIND = {"planner": OKABE_ITO["blue"], "heuristic": OKABE_ITO["orange"], "cue_planner": OKABE_ITO["sky_blue"],
        "tied_planner": OKABE_ITO["bluish_green"]}
"""Colour of each organism kind (by its registry name, as the assessment's ``kind`` column holds it)."""
SERIES = (OKABE_ITO["bluish_green"], OKABE_ITO["sky_blue"], OKABE_ITO["orange"],
          OKABE_ITO["reddish_purple"], OKABE_ITO["vermillion"])
"""Colours of further series (sensors), after black for the headline one."""
REFERENCE = "#7f7f7f"
"""Reference lines (oracle, zero, diagonal)."""
WALL = "#505050"

GOOD_BAD = LinearSegmentedColormap.from_list(
    "basemesa_good_bad", [OKABE_ITO["vermillion"], "#f2f2f2", OKABE_ITO["bluish_green"]])
"""Item colours by base value: vermillion (harmful) through light grey (neutral) to green (good)."""

COLUMN_WIDTH = 3.4
"""Inches: the width the house style designs single-panel figures for (text stays >= 7 pt there)."""

PAPER_WIDTHS = {"single": 3.25, "double": 6.75}
"""Inches: a column and the full text width of a two-column paper (ICML, NeurIPS workshop and IEEE
templates are within a few hundredths of these)."""

_paper_width: ContextVar[float | None] = ContextVar("paper_width", default=None)

RC = {
    "font.size": 9,
    "axes.titlesize": 9.5,
    "axes.titleweight": "bold",
    "axes.labelsize": 9,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "legend.fontsize": 8,
    "legend.frameon": False,
    "legend.handlelength": 1.8,
    "figure.titlesize": 10.5,
    "figure.titleweight": "bold",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "grid.color": "#e6e6e6",
    "grid.linewidth": 0.6,
    "axes.axisbelow": True,
    "axes.edgecolor": "#333333",
    "axes.linewidth": 0.8,
    "axes.prop_cycle": matplotlib.cycler(color=[TRAIN, *DEPLOY]),
    "lines.linewidth": 1.6,
    "xtick.major.size": 3,
    "ytick.major.size": 3,
    "image.interpolation": "nearest",
    # Text stays text in SVG (selectable, searchable, editable) instead of outlines.
    "svg.fonttype": "none",
    # Type 42 keeps PDF text as real TrueType text, which journals ask for.
    "pdf.fonttype": 42,
}

DPI = {"png": 200}
FORMATS = ("png", "svg", "pdf")


@contextmanager
def house_style() -> Iterator[None]:
    """Apply the house rcParams for the duration of a ``with`` block only."""
    with matplotlib.rc_context(RC):
        yield


class HouseFigure(Figure):
    """A matplotlib Figure that shows itself in a notebook without pyplot.

    Figures here are made with the OO API (no pyplot state), so IPython's inline backend may not
    know them; these rich representations make a figure returned from a cell render inline anyway.
    """

    def _repr_png_(self) -> bytes:
        buffer = io.BytesIO()
        with house_style():
            self.savefig(buffer, format="png", dpi=110, facecolor="white")
        return buffer.getvalue()


@contextmanager
def paper_style(width: str | float = "single") -> Iterator[float]:
    """Figures made inside the block come out exactly as wide as a paper's column.

    Every figure function sizes its figure for its content; inside this block the width is replaced
    by the paper's (the height, set by rows of text and panels, stays), so a figure saved as PDF or
    SVG drops into the paper at 100 % with its text at the house sizes (>= 7 pt).

    Args:
        width: "single" (one column, 3.25 in), "double" (the text width, 6.75 in) or inches.

    Yields:
        The width in inches.
    """
    if isinstance(width, str):
        if width not in PAPER_WIDTHS:
            raise ValueError(f"width: {width!r} is not one of {list(PAPER_WIDTHS)} nor a number of inches")
        inches = PAPER_WIDTHS[width]
    elif isinstance(width, (int, float)) and not isinstance(width, bool) and 1.0 <= width <= 20.0:
        inches = float(width)
    else:
        raise ValueError(f"width: must be 'single', 'double' or inches in [1, 20], got {width!r}")
    token = _paper_width.set(inches)
    try:
        yield inches
    finally:
        _paper_width.reset(token)


def new_figure(width: float, height: float, **subplots) -> tuple[Figure, Any]:
    """A Figure (constrained layout, no pyplot) and its axes from ``Figure.subplots(**subplots)``.

    Call inside ``house_style()`` so the axes are born with the house rcParams. Inside
    ``paper_style`` the width is the paper's.
    """
    paper = _paper_width.get()
    fig = HouseFigure(figsize=(width if paper is None else paper, height), layout="constrained")
    return fig, fig.subplots(**subplots)


def tidy(ax: Axes, grid: str | None = "y") -> None:
    """Enforce the house look on an axes, also one the caller made outside ``house_style``."""
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_axisbelow(True)
    if grid is None:
        ax.grid(False)
    else:
        ax.grid(True, axis=grid, color=RC["grid.color"], linewidth=RC["grid.linewidth"])


def legend_beside_title(ax: Axes, title: Text, ncol: int | None = None, **kwargs) -> Legend:
    """A one-row legend right of a left-aligned title, clear of the data.

    If that row would run into the title (long or many names), the legend gets a row of its own
    between the title and the axes instead. ``ncol`` puts it on its own row with that many columns
    (a legend laid out as a table); ``handles`` and ``labels`` in ``kwargs`` go to ``ax.legend``.
    """
    entries = len(kwargs["handles"]) if "handles" in kwargs else len(ax.get_legend_handles_labels()[0])
    common = {"borderaxespad": 0.2, "columnspacing": 1.2, "handlelength": 1.5, **kwargs}
    fig = figure_of(ax)
    if ncol is None:
        legend = ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=entries, **common)
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "constrained_layout not applied", UserWarning)
            fig.draw_without_rendering()
        # A few points of slack: the constrained layout may still narrow the axes a little.
        if title.get_window_extent().x1 + 6 * fig.dpi / 72 <= legend.get_window_extent().x0:
            return legend
        legend.remove()
    # Its own row: as many columns as fit the axes' width (an over-wide legend collapses the layout).
    for columns in [ncol] if ncol else range(min(entries, 3), 0, -1):
        if ax.get_legend() is not None:
            ax.get_legend().remove()
        legend = ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=columns, **common)
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "constrained_layout not applied", UserWarning)
            fig.draw_without_rendering()
        if legend.get_window_extent().width <= ax.get_window_extent().width + 1:
            break
    ax.set_title(title.get_text(), loc="left", pad=legend.get_window_extent().height * 72 / fig.dpi + 4)
    return legend


def reference_line(ax: Axes, y: float, label: str | None = None) -> None:
    """A dashed grey horizontal reference line (oracle, zero), labelled at its right end."""
    ax.axhline(y, color=REFERENCE, linestyle="--", linewidth=0.9, zorder=1)
    if label:
        ax.annotate(label, xy=(1.0, y), xycoords=("axes fraction", "data"), xytext=(-2, 2),
                    textcoords="offset points", ha="right", va="bottom", fontsize=7.5,
                    color=REFERENCE)


def figure_of(ax: Axes) -> Figure:
    """The top-level Figure holding ``ax`` (an axes may sit in a SubFigure)."""
    fig = ax.figure
    while not isinstance(fig, Figure):
        fig = fig.figure
    return fig


def save_figure(fig: Figure, path: str | os.PathLike, formats: Iterable[str] = ("png", "svg")) -> list[Path]:
    """Write a figure once per format.

    Args:
        fig: the figure.
        path: where to write, with or without a suffix; a figure suffix (.png, .svg, .pdf, .jpg,
            .gif) is replaced by each format's, any other dot stays part of the name
            ("sweep_p0.5" -> "sweep_p0.5.png"). Parent directories are created.
        formats: any of "png" (200 dpi), "svg", "pdf".

    Returns:
        The paths written, in the order of ``formats``.

    Raises:
        ValueError: an unknown format (checked before anything is written).
    """
    formats = [formats] if isinstance(formats, str) else list(formats)
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise ValueError(f"formats: unknown {unknown or formats!r}; choose from {list(FORMATS)}")
    path = Path(path)
    # Path("run.v2").with_suffix would eat ".v2"; only a known figure suffix is replaced.
    stem = path.with_suffix("") if path.suffix.lower().lstrip(".") in (*FORMATS, "jpg", "jpeg", "gif") else path
    stem.parent.mkdir(parents=True, exist_ok=True)
    written = []
    with house_style():
        for fmt in formats:
            out = stem.with_name(f"{stem.name}.{fmt}")
            fig.savefig(out, format=fmt, dpi=DPI.get(fmt, "figure"), facecolor="white")
            written.append(out)
    return written
