"""Episodes drawn as maps: the world, its items, and the path one organism took through it.

A record is the dict ``scenarios.episode`` returns; only its plain arrays and names are read here.
Items keep one glyph per kind name across panels, and are coloured by their value under the base
objective (green good, vermillion harmful), so a kind that changes sides under deployment is seen
changing colour.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.cm import ScalarMappable
from matplotlib.collections import LineCollection
from matplotlib.colors import LinearSegmentedColormap, ListedColormap, Normalize, to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from PIL import Image

from plots import style

MARKERS = ("o", "s", "^", "D", "v", "P", "X", "h", "<", ">")
PANEL = 2.9
"""Inches per map panel: a two-world figure fits the width of a page."""
TIME = LinearSegmentedColormap.from_list("basemesa_time", ["#b9c9e8", style.OKABE_ITO["blue"], "#08264a"])
"""Path colour by step: light (early) to dark (late); a single hue, so it never reads as good/bad."""
EDGE = "#333333"
START = style.OKABE_ITO["black"]


def _records(records: Mapping | Sequence[Mapping]) -> list[Mapping]:
    records = [records] if isinstance(records, Mapping) else list(records)
    if not records:
        raise ValueError("records: expected one episode record or a non-empty list of them")
    needed = ("walls", "start", "item_pos", "item_kind", "item_kind_names", "item_kind_base", "path", "taken_at")
    for k, rec in enumerate(records):
        missing = [key for key in needed if key not in rec]
        if missing:
            raise ValueError(f"records[{k}]: missing {missing}; expected a scenarios.episode record")
    return records


def _titles(records: list[Mapping], titles: Sequence[str] | None) -> list[str]:
    if titles is None:
        return [str(rec.get("distribution", f"episode {k}")) for k, rec in enumerate(records)]
    titles = list(titles)
    if len(titles) != len(records):
        raise ValueError(f"titles: {len(titles)} given for {len(records)} records")
    return titles


def _value_colour(value: float, norm: Normalize) -> tuple:
    """Colour of a base value: any non-zero value is at least 40% saturated, so it reads on white."""
    x = 2.0 * float(norm(value)) - 1.0
    if x:
        x = np.sign(x) * (0.4 + 0.6 * abs(x))
    return style.GOOD_BAD(0.5 + 0.5 * x)


class _Panel:
    """The artists of one episode map, redrawn up to any step (the GIF replays them)."""

    def __init__(self, ax: Axes, rec: Mapping, title: str, markers: dict[str, str], norm: Normalize,
                 marker_size: float):
        self.ax, self.rec, self.title = ax, rec, title
        walls = np.asarray(rec["walls"], dtype=bool)
        self.path = np.asarray(rec["path"], dtype=float).reshape(-1, 2)
        self.taken_at = np.asarray(rec["taken_at"]).reshape(-1)
        self.steps = len(self.path) - 1
        item_pos = np.asarray(rec["item_pos"]).reshape(-1, 2)
        item_kind = np.asarray(rec["item_kind"]).reshape(-1)
        names, values = list(rec["item_kind_names"]), [float(v) for v in rec["item_kind_base"]]
        h, w = walls.shape

        ax.set_xlim(-0.5, w - 0.5)
        ax.set_ylim(h - 0.5, -0.5)  # row 0 at the top, as the world array is printed
        ax.set_aspect("equal")
        # Cell borders as a faint minor grid; no tick labels (cells are not quantities).
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_xticks(np.arange(-0.5, w, 1.0), minor=True)
        ax.set_yticks(np.arange(-0.5, h, 1.0), minor=True)
        ax.tick_params(which="both", length=0, labelbottom=False, labelleft=False)
        ax.grid(True, which="minor", color="#ececec", linewidth=0.5)
        ax.grid(False, which="major")
        for spine in ax.spines.values():
            spine.set(visible=True, color="#999999", linewidth=0.8)
        ax.imshow(np.ma.masked_where(~walls, walls), cmap=ListedColormap([style.WALL]),
                  extent=(-0.5, w - 0.5, h - 0.5, -0.5), zorder=1)

        # One collection per kind: its glyph and base-value colour; taken items turn hollow.
        self.items: list[tuple[Any, np.ndarray, np.ndarray]] = []
        self.handles: list[Line2D] = []
        for k, (name, value) in enumerate(zip(names, values)):
            idx = np.flatnonzero(item_kind == k)
            colour = _value_colour(value, norm)
            if idx.size:
                coll = ax.scatter(item_pos[idx, 1], item_pos[idx, 0], s=marker_size, marker=markers[name],
                                  facecolors=[colour], edgecolors=EDGE, linewidths=0.7, zorder=3,
                                  label=name)
                self.items.append((coll, idx, np.array(colour)))
            self.handles.append(Line2D([], [], linestyle="none", marker=markers[name], markersize=7,
                                       markerfacecolor=colour, markeredgecolor=EDGE, markeredgewidth=0.7,
                                       label=f"{name} (base {value:+g})"))
        start = np.asarray(rec["start"]).reshape(2)
        self.start = ax.scatter([start[1]], [start[0]], s=marker_size * 1.6, marker="*", color=START,
                                zorder=5, linewidths=0)

        # Path as segments coloured by step; (x, y) = (column, row).
        xy = self.path[:, ::-1]
        self.segments = np.stack([xy[:-1], xy[1:]], axis=1)
        self.line = LineCollection([], cmap=TIME, norm=Normalize(0, max(self.steps, 1)), linewidths=2.2,
                                   capstyle="round", joinstyle="round", zorder=4)
        ax.add_collection(self.line)
        (self.head,) = ax.plot([], [], "o", color=TIME(1.0), markersize=5, markeredgecolor="white",
                               markeredgewidth=0.8, zorder=6)
        self.arrow = None
        # Title in bold, the episode's numbers beneath it in regular weight.
        ax.set_title(title, pad=15)
        self.subtitle = ax.annotate("", xy=(0.5, 1.0), xycoords="axes fraction", xytext=(0, 4),
                                    textcoords="offset points", ha="center", va="bottom", fontsize=8)

    def show(self, step: int, final: bool) -> None:
        """Draw the episode as it stood after ``step`` steps."""
        step = int(np.clip(step, 0, self.steps))
        self.line.set_segments(self.segments[:step])
        self.line.set_array(np.arange(step, dtype=float))
        for coll, idx, colour in self.items:
            taken = (self.taken_at[idx] >= 0) & (self.taken_at[idx] <= step)
            faces = np.tile(colour, (idx.size, 1))
            faces[taken, 3] = 0.0
            coll.set_facecolors(faces)
            # Hollow glyphs keep their colour in the outline, so what was taken stays readable.
            coll.set_edgecolors(np.where(taken[:, None], colour, to_rgba(EDGE)))
            coll.set_linewidths(np.where(taken, 1.8, 0.7))
        row, col = self.path[step]
        self.head.set_data([col], [row])
        if self.arrow is not None:
            self.arrow.remove()
            self.arrow = None
        if final:
            self._arrow(step)
        rec = self.rec
        parts = [f"base score {float(rec['base']):+g}" if "base" in rec else None, rec.get("kind")]
        if not final:
            parts.append(f"step {step}/{self.steps}")
        self.subtitle.set_text(" · ".join(str(p) for p in parts if p))

    def moving(self) -> list[Any]:
        """The artists ``show`` changes, bottom to top (the GIF redraws only these on each frame).

        The start star sits above the path, so it is redrawn too, to stay on top.
        """
        artists = [self.line, self.head, self.start, self.subtitle, *(coll for coll, _, _ in self.items)]
        if self.arrow is not None:
            artists.append(self.arrow)
        return sorted(artists, key=lambda artist: artist.get_zorder())

    def _arrow(self, step: int) -> None:
        """An arrowhead on the last move, so the direction of travel reads without the colour bar."""
        moves = np.flatnonzero(np.any(self.path[1:step + 1] != self.path[:step], axis=1))
        if moves.size:
            t = moves[-1]
            (r0, c0), (r1, c1) = self.path[t], self.path[t + 1]
            self.arrow = self.ax.annotate(
                "", xy=(c1, r1), xytext=(c0 + 0.35 * (c1 - c0), r0 + 0.35 * (r1 - r0)),
                arrowprops={"arrowstyle": "-|>,head_length=0.6,head_width=0.35", "color": TIME(1.0),
                            "linewidth": 2.2, "shrinkA": 0, "shrinkB": 0}, zorder=6)


def _layout(records: list[Mapping], titles: list[str], dpi: float | None = None,
            axes: list[Axes] | None = None) -> tuple[Figure, list[_Panel]]:
    """The figure, one map per record side by side, a legend under each and a shared step colour bar
    (into the caller's ``axes``, one per record, when given)."""
    n = len(records)
    item_kinds = max(len(rec["item_kind_names"]) for rec in records)
    own = axes is None
    if own:
        # Height: a square map, the two-line title, and the kind legend beneath (one row per kind).
        fig, grid = style.new_figure(PANEL * n + 1.0, PANEL + 0.5 + 0.16 * item_kinds, ncols=n, squeeze=False)
        if dpi:
            fig.set_dpi(dpi)
        fig.get_layout_engine().set(wspace=0.05)
        axes = list(grid[0])
    else:
        fig = style.figure_of(axes[0])
    names: list[str] = []
    for rec in records:
        names += [name for name in rec["item_kind_names"] if name not in names]
    markers = {name: MARKERS[k % len(MARKERS)] for k, name in enumerate(names)}
    vmax = max((abs(float(v)) for rec in records for v in rec["item_kind_base"]), default=1.0) or 1.0
    norm = Normalize(-vmax, vmax)
    shape = max(max(np.shape(rec["walls"])) for rec in records)
    # Glyphs about 60% of a cell wide, whatever the grid size.
    cell_pt = PANEL * 0.85 * 72 / shape
    panels = [_Panel(ax, rec, title, markers, norm, (0.62 * cell_pt) ** 2)
              for ax, rec, title in zip(axes, records, titles)]
    for panel in panels:
        panel.ax.legend(handles=panel.handles, loc="upper center", bbox_to_anchor=(0.5, -0.01),
                        handletextpad=0.3, labelspacing=0.35, fontsize=7.5)
    steps = max(p.steps for p in panels)
    bar = fig.colorbar(ScalarMappable(norm=Normalize(0, max(steps, 1)), cmap=TIME), ax=axes, shrink=0.55,
                       aspect=18, pad=0.02, anchor=(0.0, 0.75))
    bar.set_label("step")
    bar.outline.set_visible(False)
    if not own:
        return fig, panels
    # What the glyphs mean is the same in every panel: say it once, under the colour bar.
    fig.legend(handles=[
        Line2D([], [], linestyle="none", marker="*", markersize=9, color=START, label="start"),
        Line2D([], [], linestyle="none", marker="o", markersize=7, markerfacecolor="none",
               markeredgecolor=EDGE, markeredgewidth=1.2, label="taken"),
        Line2D([], [], color=TIME(0.8), linewidth=2.2, label="path"),
    ], loc="outside right lower", handletextpad=0.4, fontsize=7.5)
    return fig, panels


def episode_map(records: Mapping | Sequence[Mapping], titles: Sequence[str] | None = None,
                ax: Axes | Sequence[Axes] | None = None) -> Figure:
    """One or several recorded episodes side by side (e.g. a training world beside a deployment one).

    Walls are dark cells; items are glyphs, one per kind name, coloured by their base value (green
    good, vermillion harmful) and hollow once taken; the star is the start; the path runs light to
    dark with time and ends in an arrowhead.

    Args:
        records: one ``scenarios.episode`` record or a list of them.
        titles: a title per record (default: its distribution); the base score and organism kind
            are added beneath.
        ax: an axes (one record) or a sequence of axes (one per record) to draw into; by default a
            new figure, which also gets the glyph legend.

    Returns:
        The Figure drawn into.
    """
    records = _records(records)
    titles = _titles(records, titles)
    axes = None
    if ax is not None:
        axes = [ax] if isinstance(ax, Axes) else list(ax)
        if len(axes) != len(records) or not all(isinstance(a, Axes) for a in axes):
            raise ValueError(f"ax: need one matplotlib Axes per record ({len(records)}), got {ax!r}")
    with style.house_style():
        fig, panels = _layout(records, titles, axes=axes)
        for panel in panels:
            panel.show(panel.steps, final=True)
    return fig


def episode_gif(records: Mapping | Sequence[Mapping], path: str | os.PathLike, fps: float = 5,
                titles: Sequence[str] | None = None, dpi: float = 100) -> Path:
    """An animated GIF of ``episode_map``: the paths grow step by step, items empty as taken.

    Args:
        records: one ``scenarios.episode`` record or a list of them (they advance together).
        path: where to write; the suffix becomes ``.gif``. Parent directories are created.
        fps: frames (steps) per second.
        titles: as in ``episode_map``.
        dpi: resolution of the frames.

    Returns:
        The path written.
    """
    if not fps > 0:
        raise ValueError(f"fps: must be > 0, got {fps!r}")
    records = _records(records)
    titles = _titles(records, titles)
    path = Path(path).with_suffix(".gif")
    path.parent.mkdir(parents=True, exist_ok=True)
    with style.house_style():
        fig, panels = _layout(records, titles, dpi=dpi)
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        canvas = FigureCanvasAgg(fig)
        steps = max(p.steps for p in panels)
        # Lay out once, on the finished episode, then freeze: frames must not jitter as titles change.
        for panel in panels:
            panel.show(steps, final=True)
        fig.draw_without_rendering()
        fig.set_layout_engine("none")
        # Blitting: the static map (walls, grid, legends, colour bar) is rendered once; each frame
        # restores it and draws only what moves. A full redraw per frame took ~8 s per episode.
        for panel in panels:
            panel.show(0, final=False)
            for artist in panel.moving():
                artist.set_animated(True)
        canvas.draw()
        background = canvas.copy_from_bbox(fig.bbox)

        def frame() -> Image.Image:
            canvas.restore_region(background)
            for panel in panels:
                for artist in panel.moving():
                    artist.set_animated(True)
                    fig.draw_artist(artist)
            return Image.fromarray(np.asarray(canvas.buffer_rgba())).convert("RGB")

        frames = []
        for t in range(steps + 1):
            for panel in panels:
                panel.show(t, final=False)
            frames.append(frame())
        # Hold the finished episode for about a second before the loop restarts.
        for panel in panels:
            panel.show(steps, final=True)
        frames.append(frame())
    # One palette for every frame, from the first (all items whole) and the last (the whole path):
    # quantising each frame on its own took most of the time, and a shared palette cannot flicker.
    first, last = frames[0], frames[-1]
    both = Image.new("RGB", (first.width, 2 * first.height))
    both.paste(first, (0, 0))
    both.paste(last, (0, first.height))
    palette = both.quantize(colors=255, method=Image.Quantize.MEDIANCUT)
    frames = [f.quantize(palette=palette, dither=Image.Dither.NONE) for f in frames]
    step_ms = int(1000 / fps)
    durations = [step_ms] * (steps + 1) + [step_ms * max(1, round(fps))]
    frames[0].save(path, format="GIF", save_all=True, append_images=frames[1:], duration=durations, loop=0)
    return path
