"""report.html: every command-line run writes one self-contained page a writer can open, and a real
browser draws it."""

from __future__ import annotations

import base64
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from organisms.metrics import LABELS
from scenarios.app.main import main
from scenarios.app.report import attribute_docs
from scenarios.engine import alignment
from scenarios.stories import aurora

SECTIONS = ("story", "summary", "figures", "labels", "config", "files")
FIGURE_SUFFIXES = (".png", ".svg", ".gif")


class Page(HTMLParser):
    """What a reader's browser would fetch and show: images, links, element ids, text per section."""

    def __init__(self, text: str):
        super().__init__()
        self.images, self.links, self.ids, self.tags, self.urls = [], [], set(), [], []
        self.section, self.text = None, {}
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        self.urls += [v for k, v in attrs.items() if k in ("src", "href", "srcset", "poster", "data") and v]
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "section":
            self.section = attrs.get("id")
        if tag == "img":
            self.images.append(attrs.get("src", ""))
        if tag == "a":
            self.links.append(attrs.get("href", ""))

    def handle_data(self, data):
        self.text[self.section] = self.text.get(self.section, "") + data

    def words(self, section: str) -> str:
        return " ".join(self.text.get(section, "").split())


def plain(doc: str) -> str:
    """Docstring text as a reader sees it on the page: markup gone, whitespace collapsed."""
    return " ".join(doc.replace("``", "").replace("*", "").split())


def decoded(src: str) -> bytes:
    head, _, data = src.partition(",")
    assert head.startswith("data:image/") and head.endswith(";base64"), head[:60]
    return base64.b64decode(data)


def test_a_run_writes_a_report_with_every_figure_embedded_and_no_external_url(tiny_run):
    text = (tiny_run / "report.html").read_text(encoding="utf-8")
    page = Page(text)
    assert set(SECTIONS) <= page.ids
    assert "script" not in page.tags and "link" not in page.tags and "iframe" not in page.tags
    assert not re.search(r"url\(", text), "no stylesheet fetches anything"
    for url in page.urls:
        assert not url.startswith(("http://", "https://", "//", "file:")), url
    # Every figure the run drew is on the page, byte for byte (one format per figure).
    embedded = {decoded(src) for src in page.images}
    figures = {}
    for path in tiny_run.iterdir():
        if path.suffix in FIGURE_SUFFIXES:
            key = (path.stem, path.suffix == ".gif")
            figures.setdefault(key, set()).add(path.read_bytes())
    assert len(figures) >= 5 and len(page.images) == len(figures)
    for key, payloads in figures.items():
        assert payloads & embedded, f"figure {key[0]} is not embedded"
    # Every link resolves: to a section of the page, or to a file of the run directory.
    targets = [link for link in page.links if not link.startswith("#")]
    for link in page.links:
        assert link[1:] in page.ids if link.startswith("#") else (tiny_run / link).is_file(), link
    assert {"log.csv", "assessment.csv"} <= set(targets)


def test_the_report_tells_the_story_the_labels_by_their_rule_and_the_knobs_with_their_meaning(tiny_run):
    page = Page((tiny_run / "report.html").read_text(encoding="utf-8"))
    assert plain(aurora.__doc__.split("\n\n")[1]) in page.words("story")
    labels = page.words("labels")
    shown = pd.read_csv(tiny_run / "assessment.csv").drop_duplicates("organism")["label"]
    for label in shown.unique():
        assert label in labels
    # The definitions are read from the module that applies them, not copied.
    assert plain(alignment.__doc__.split("\n\n", 1)[1]) in labels
    assert all(label in labels for label in LABELS)
    assert plain(attribute_docs(alignment.AlignmentThresholds)["decisions"]) in labels
    config = page.words("config")
    for knob, doc in attribute_docs(aurora.Knobs).items():
        if knob != "horde":  # the default scenario does not record it (see aurora.make)
            assert knob in config and plain(doc) in config
    summary = json.loads((tiny_run / "summary.json").read_text())
    for distribution in summary["assessment"]:
        assert distribution in page.words("summary")


def test_the_report_is_rebuilt_from_the_directory_alone_and_shows_whatever_the_summary_holds(tiny_run, run_copy,
                                                                                              capsys):
    (run_copy / "report.html").unlink()
    assert main(["report", str(run_copy)]) == 0
    assert (run_copy / "report.html").read_bytes() == (tiny_run / "report.html").read_bytes()
    # A measure the summary gains (here a made-up one) reaches the page without any change to it.
    summary = json.loads((run_copy / "summary.json").read_text())
    for row in summary["assessment"].values():
        row["made_up_measure"] = 0.123
    summary["made_up_headline"] = 4.56
    (run_copy / "summary.json").write_text(json.dumps(summary))
    assert main(["report", str(run_copy), "--quiet"]) == 0
    page = Page((run_copy / "report.html").read_text(encoding="utf-8"))
    words = page.words("summary")
    assert "made_up_measure" in words and "0.123" in words and "made_up_headline" in words
    assert capsys.readouterr().out.strip() == str(run_copy / "report.html")


def test_report_of_a_folder_that_is_not_a_run_is_one_line(tmp_path, capsys):
    assert main(["report", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("basemesa report: error:") and err.count("\n") == 1


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
WINDOW = (1200, 2000)
SCROLLBAR = 20
"""Pixels at the window's right edge the page's scrollbar may take."""


def screenshot(page: Path, out: Path, profile: Path) -> np.ndarray:
    """The page as headless Chromium draws it in a 1200x2000 window (RGB array)."""
    from PIL import Image

    proc = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={profile}", f"--screenshot={out}", f"--window-size={WINDOW[0]},{WINDOW[1]}",
         page.as_uri()], capture_output=True, text=True, timeout=300)
    assert out.is_file(), f"no screenshot (exit {proc.returncode}): {proc.stderr[-2000:]}"
    with Image.open(out) as image:
        return np.asarray(image.convert("RGB"))


def without_figures(text: str) -> str:
    """The same page with every image replaced by an empty box of its size: the layout is unchanged,
    so the pixels that differ are the figures as the browser painted them."""
    from io import BytesIO

    from PIL import Image

    def box(match: re.Match) -> str:
        with Image.open(BytesIO(decoded(match.group(1)))) as image:
            w, h = image.size
        return f'<span style="display:inline-block;width:{w}px;max-width:100%;aspect-ratio:{w}/{h}"></span>'

    return re.sub(r'<img [^>]*src="([^"]+)"[^>]*>', box, text)


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium), so the "
                                             "report's rendering in a real browser is not checked here")
def test_a_headless_browser_draws_the_report_with_its_figures(tiny_run, run_copy, tmp_path):
    shot = screenshot(run_copy / "report.html", tmp_path / "report.png", tmp_path / "profile")
    assert shot.shape == (WINDOW[1], WINDOW[0], 3)
    colours = np.unique(shot.reshape(-1, 3), axis=0)
    assert len(colours) > 50, "the page is blank or nearly so"
    background = np.array([0xFD, 0xFD, 0xFB])
    assert (np.abs(shot.astype(int) - background).sum(axis=2) > 30).mean() > 0.05, "almost all background"
    blank = run_copy / "no-figures.html"
    blank.write_text(without_figures((run_copy / "report.html").read_text(encoding="utf-8")), encoding="utf-8")
    reference = screenshot(blank, tmp_path / "no-figures.png", tmp_path / "profile-2")
    figure = np.abs(shot.astype(int) - reference.astype(int)).sum(axis=2) > 0
    # The scrollbar's thumb moves with the page's length, a pixel or two either way: not a figure.
    figure[:, -SCROLLBAR:] = False
    assert figure.mean() > 0.05, f"only {figure.mean():.1%} of the screen differs without the figures"
    top = int(np.flatnonzero(figure.any(axis=1)).min())
    assert top > 300, "the story and summary come before the figures"
    # Where the first figure begins, the browser painted that figure's own pixels.
    page = Page((run_copy / "report.html").read_text(encoding="utf-8"))
    left = int(np.flatnonzero(figure[top:top + 20].any(axis=0)).min())
    right = int(np.flatnonzero(figure[top:top + 20].any(axis=0)).max())
    first = painted(decoded(page.images[0]), width=right - left + 1)
    best = min(mean_difference(shot, first, top + dy, left + dx) for dy in range(3) for dx in range(3))
    assert best < 6, f"the first figure is not what the browser drew there (mean difference {best:.1f})"


def painted(png: bytes, width: int) -> np.ndarray:
    """The figure as a browser paints it in a box ``width`` pixels wide (border included): at its own
    size, or scaled down to fit."""
    from io import BytesIO

    from PIL import Image

    with Image.open(BytesIO(png)) as image:
        image = image.convert("RGB")
        if image.width > width - 2:
            image = image.resize((width - 2, round(image.height * (width - 2) / image.width)))
        return np.asarray(image).astype(int)


def mean_difference(shot: np.ndarray, image: np.ndarray, top: int, left: int) -> float:
    """Mean absolute difference (summed over RGB) between the image and the screenshot at (top, left),
    over the part of the image within the screen."""
    h = min(image.shape[0], shot.shape[0] - top)
    w = min(image.shape[1], shot.shape[1] - left)
    return float(np.abs(shot[top:top + h, left:left + w].astype(int) - image[:h, :w]).sum(axis=2).mean())


def test_a_run_saved_from_python_of_a_scenario_of_ones_own_gets_a_report_too(treasure, tmp_path, capsys):
    import evolution

    run = evolution.evolve(treasure, evolution.Config(population=6, generations=2, episodes=2, seed=0),
                           progress=False)
    run.save(tmp_path / "run")  # not assessed, no figures, not a built-in story
    assert main(["report", str(tmp_path / "run"), "--quiet"]) == 0
    page = Page((tmp_path / "run" / "report.html").read_text(encoding="utf-8"))
    assert set(SECTIONS) <= page.ids and page.images == []
    assert "records no story" in page.words("story") and "not assessed" in page.words("labels")
    for link in page.links:
        assert link[1:] in page.ids if link.startswith("#") else (tmp_path / "run" / link).is_file(), link
