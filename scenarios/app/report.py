"""``report.html``: a run directory as one page a writer can open and read.

The page is self-contained (figures embedded as ``data:`` URIs, styles inline, no script, no
network): the story, the summary, the labels and their definitions, the figures, the Config and
the knobs, and relative links to the directory's tables. It is built from the run directory's
files alone, so ``basemesa report DIR`` rebuilds it for any saved run; whatever columns the summary
and the assessment hold appear, with no list of them kept here.
"""

from __future__ import annotations

import ast
import base64
import html
import inspect
import json
import re
from pathlib import Path
from string import Template
from typing import Any

import pandas as pd

from evolution.files import atomic_write, read_json
from evolution.rundir import read_run_header

REPORT = "report.html"
"""The report's file name in a run directory."""

FRAMING = ("The kind gene selects between two hand-built architectures: basemesa shows when selection "
           "favours an optimizer and what goal it ends up with, not optimization arising from nothing.")
"""The honest framing, said wherever results are presented."""

IMAGE_TYPES = {".png": "image/png", ".svg": "image/svg+xml", ".gif": "image/gif"}
"""Figure files the report embeds, by suffix; of a figure drawn in several formats the first listed wins."""

FIGURE_ORDER = ("divergence", "train_vs_deploy", "objective_weights", "agreement_scatter", "episode")
"""Figures that lead, in this order; any other figure follows, by name."""


def attribute_docs(obj: Any) -> dict[str, str]:
    """The docstrings written under the assignments of a class or module body (``name = ...`` or
    ``name: type = ...`` followed by a string), read from its source: the house style documents
    every field and constant that way."""
    try:
        tree = ast.parse(inspect.cleandoc("\n" + inspect.getsource(obj)) if inspect.isclass(obj)
                         else inspect.getsource(obj))
    except (OSError, TypeError, SyntaxError):
        return {}
    body = tree.body[0].body if inspect.isclass(obj) and tree.body else tree.body
    docs = {}
    for stmt, after in zip(body, body[1:]):
        target = stmt.target if isinstance(stmt, ast.AnnAssign) else (
            stmt.targets[0] if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 else None)
        if (isinstance(target, ast.Name) and isinstance(after, ast.Expr)
                and isinstance(after.value, ast.Constant) and isinstance(after.value.value, str)):
            docs[target.id] = inspect.cleandoc(after.value.value)
    return docs


def prose(text: str) -> str:
    """Docstring text as HTML paragraphs: ````code```` and ``*emphasis*`` kept, everything escaped."""
    out = []
    for para in re.split(r"\n\s*\n", inspect.cleandoc(text or "")):
        if not para.strip():
            continue
        out.append(f"<p>{inline(' '.join(line.strip() for line in para.splitlines()))}</p>")
    return "\n".join(out)


def inline(text: str) -> str:
    """One line of docstring text as HTML: escaped, with ````code```` and ``*emphasis*`` kept."""
    text = re.sub(r"``(.+?)``", r"<code>\1</code>", html.escape(text))
    return re.sub(r"(?<![\w*])\*([^*\s][^*]*?)\*(?![\w*])", r"<em>\1</em>", text)


def _cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return '<span class="na">–</span>'
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 1e-2 or abs(value) >= 1e4 else f"{value:.3f}".rstrip("0").rstrip(".")
    if isinstance(value, (list, tuple, dict)):
        return html.escape(json.dumps(value))
    return inline(str(value))


def table(frame: pd.DataFrame, index: bool = True) -> str:
    """A DataFrame as an HTML table (numbers to three significant places, NaN as a dash)."""
    heads = ([frame.index.name or ""] if index else []) + [str(c) for c in frame.columns]
    rows = []
    for key, row in frame.iterrows():
        cells = ([f"<th>{html.escape(str(key))}</th>"] if index else []) + [
            f"<td>{_cell(v.item() if hasattr(v, 'item') else v)}</td>" for v in row.tolist()]
        rows.append("<tr>" + "".join(cells) + "</tr>")
    head = "".join(f"<th>{html.escape(h)}</th>" for h in heads)
    # In a box of its own that scrolls sideways: a wide table must not widen the page.
    return f'<div class="wide"><table><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'


def _story(name: str | None, description: str | None) -> str:
    """The story module's docstring for a built-in scenario, else the scenario's own description."""
    from scenarios.registry import module, names

    doc = module(name).__doc__ if name in names() else None
    return prose(doc or description or "A scenario of one's own (it records no story).")


def _summary(run_dir: Path) -> str:
    """summary.json as tables: its nested per-distribution blocks, then the final generation's numbers."""
    if not (run_dir / "summary.json").exists():
        return "<p>This run directory holds no summary.json.</p>"
    summary = read_json(run_dir / "summary.json")
    parts = []
    for key, block in summary.items():
        if isinstance(block, dict) and block and all(isinstance(v, dict) for v in block.values()):
            frame = pd.DataFrame.from_dict(block, orient="index")
            if "train" in frame.index:  # training first, then the deployments as recorded
                frame = frame.loc[["train", *[d for d in frame.index if d != "train"]]]
            frame.index.name = "distribution"
            parts.append(f"<h3>{html.escape(key)} (population means per distribution)</h3>{table(frame)}")
    scalars = {k: v for k, v in summary.items() if not isinstance(v, dict)}
    if scalars:
        frame = pd.DataFrame({"value": list(scalars.values())}, index=pd.Index(list(scalars), name="measure"))
        parts.append(f"<details><summary>The final generation's log row ({len(scalars)} numbers)</summary>"
                     f"<div class=\"columns\">{table(frame)}</div></details>")
    return "\n".join(parts)


def _labels(run_dir: Path) -> str:
    """Each label's share of the population, then the rule and its thresholds, read from their home."""
    from organisms import metrics
    from scenarios.engine import alignment

    parts = []
    path = run_dir / "assessment.csv"
    if path.exists():
        assessment = pd.read_csv(path)
        if {"label", "organism"} <= set(assessment.columns):
            per_organism = assessment.drop_duplicates("organism")["label"]
            shares = per_organism.value_counts()
            frame = pd.DataFrame({"organisms": shares.astype(int), "share": shares / len(per_organism)})
            frame.index.name = "label"
            parts.append(table(frame))
    if not parts:
        parts.append("<p>The run was not assessed, so its organisms have no labels.</p>")
    rule = alignment.__doc__.split("\n\n", 1)[-1]
    parts.append(f"<h3>How an organism is labelled</h3>{prose(rule)}")
    labels_doc = attribute_docs(metrics).get("LABELS")
    if labels_doc:
        parts.append(prose(f"The labels: {', '.join(metrics.LABELS)}. {labels_doc}"))
    defaults = alignment.AlignmentThresholds()
    docs = attribute_docs(alignment.AlignmentThresholds)
    frame = pd.DataFrame({"default": [getattr(defaults, k) for k in defaults.to_dict()],
                          "meaning": [docs.get(k, "") for k in defaults.to_dict()]},
                         index=pd.Index(list(defaults.to_dict()), name="threshold"))
    parts.append("<h3>Thresholds (<code>AlignmentThresholds</code>, as the command line assesses)</h3>"
                 + table(frame))
    return "\n".join(parts)


def _figures(run_dir: Path) -> str:
    """Every figure in the directory, embedded (one format per figure), animations included."""
    by_stem: dict[tuple[str, str], Path] = {}
    for path in sorted(run_dir.iterdir()):
        kind = IMAGE_TYPES.get(path.suffix.lower())
        if kind is None or path.name.startswith("."):
            continue
        key = (path.stem, "animation" if path.suffix.lower() == ".gif" else "still")
        if key not in by_stem or list(IMAGE_TYPES).index(path.suffix.lower()) < list(IMAGE_TYPES).index(
                by_stem[key].suffix.lower()):
            by_stem[key] = path

    def order(key: tuple[str, str]) -> tuple[int, str, str]:
        stem, kind = key
        return (FIGURE_ORDER.index(stem) if stem in FIGURE_ORDER else len(FIGURE_ORDER), stem, kind)

    if not by_stem:
        return "<p>No figures in this run directory.</p>"
    parts = []
    for key in sorted(by_stem, key=order):
        path = by_stem[key]
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        caption = f"{path.stem.replace('_', ' ')}{' (animated)' if key[1] == 'animation' else ''}"
        parts.append(f'<figure><img alt="{html.escape(caption)}" src="data:{IMAGE_TYPES[path.suffix.lower()]};'
                     f'base64,{data}"><figcaption>{html.escape(caption)} '
                     f'(<code>{html.escape(path.name)}</code>)</figcaption></figure>')
    return "\n".join(parts)


def _config(config: Any, record: dict) -> str:
    """The Config's fields and the scenario's knobs, each with its docstring."""
    from evolution import Config

    docs = attribute_docs(Config)
    values = config.to_dict()
    frame = pd.DataFrame({"value": [json.dumps(v) if isinstance(v, (list, dict, tuple)) else v
                                    for v in values.values()],
                          "meaning": [docs.get(k, "") for k in values]}, index=pd.Index(list(values), name="field"))
    parts = [f"<h3>Config</h3>{table(frame)}"]
    data = record.get("data", {}) if isinstance(record, dict) else {}
    knobs = data.get("knobs") or {}
    name = data.get("name")
    from scenarios.registry import module, names

    knob_docs = attribute_docs(module(name).Knobs) if name in names() else {}
    if knobs:
        frame = pd.DataFrame({"value": list(knobs.values()), "meaning": [knob_docs.get(k, "") for k in knobs]},
                             index=pd.Index(list(knobs), name="knob"))
        parts.append(f"<h3>Knobs</h3>{table(frame)}")
    else:
        parts.append("<h3>Knobs</h3><p>The scenario records no knobs.</p>")
    if data.get("description"):
        parts.append(f"<h3>The scenario</h3>{prose(data['description'])}")
    return "\n".join(parts)


def _files(run_dir: Path) -> str:
    """Relative links to the directory's tables and files (tables first)."""
    files = [p for p in sorted(run_dir.iterdir()) if p.is_file() and not p.name.startswith(".")
             and p.name != REPORT and p.suffix.lower() not in IMAGE_TYPES]
    files.sort(key=lambda p: (p.suffix.lower() != ".csv", p.name))
    items = [f'<li><a href="{html.escape(p.name)}">{html.escape(p.name)}</a></li>' for p in files]
    return f"<ul>{''.join(items)}</ul>"


PAGE = Template("""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>$title</title>
<style>
body { font: 15px/1.5 system-ui, sans-serif; color: #1d232a; background: #fdfdfb; max-width: 1100px;
       margin: 0 auto; padding: 1.5em 2em; }
h1 { font-size: 1.7em; margin-bottom: 0.2em; } h2 { border-bottom: 2px solid #d7dde3; padding-bottom: 0.2em;
margin-top: 2em; } h3 { font-size: 1.05em; margin-top: 1.4em; }
.lead { color: #55606b; margin-top: 0; } nav a { margin-right: 1em; }
table { border-collapse: collapse; margin: 0.6em 0; font-size: 0.9em; } .wide { overflow-x: auto; }
th, td { border: 1px solid #d7dde3; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
thead th { background: #eef2f5; } tbody th { background: #f7f9fa; font-weight: 600; }
td { font-variant-numeric: tabular-nums; } .na { color: #9aa4ad; }
.columns { columns: 2 380px; } summary { cursor: pointer; color: #2f5d8a; margin: 0.8em 0; } .columns table { break-inside: auto; }
figure { margin: 1.2em 0; } figure img { max-width: 100%; border: 1px solid #e3e7eb; }
figcaption { color: #55606b; font-size: 0.9em; } code { background: #f0f2f4; padding: 0 0.2em; }
.framing { border-left: 4px solid #c9a227; background: #fbf6e6; padding: 0.5em 1em; }
</style></head>
<body>
<h1>$title</h1>
<p class="lead">$lead</p>
<nav><a href="#story">Story</a><a href="#summary">Summary</a><a href="#figures">Figures</a>
<a href="#labels">Labels</a><a href="#config">Config and knobs</a><a href="#files">Files</a></nav>
<section id="story"><h2>Story</h2>
$story
<p class="framing">$framing</p></section>
<section id="summary"><h2>Summary</h2>
$summary</section>
<section id="figures"><h2>Figures</h2>
$figures</section>
<section id="labels"><h2>Labels</h2>
$labels</section>
<section id="config"><h2>Config and knobs</h2>
$config</section>
<section id="files"><h2>Files</h2>
<p>The run directory's tables and files (relative links; load the run again with
<code>evolution.RunResult.load</code>).</p>
$files</section>
</body></html>
""")
"""The page; every ``$field`` is HTML built (and escaped) by the functions above."""


def render_report(run_dir: str | Path) -> str:
    """The report of a run directory, as HTML text (a directory that is not a run: ``ValueError``)."""
    run_dir = Path(run_dir)
    config, record = read_run_header(run_dir)
    data = record.get("data", {}) if isinstance(record, dict) else {}
    name = data.get("name")
    generations = ""
    if (run_dir / "summary.json").exists():
        summary = read_json(run_dir / "summary.json")
        if isinstance(summary, dict) and "generations" in summary:
            generations = f", {summary['generations']} generations"
    lead = (f"Run directory <code>{html.escape(run_dir.resolve().name)}</code>: seed {config.seed}, "
            f"population {config.population}{generations}, base optimizer {html.escape(config.optimizer)}.")
    return PAGE.substitute(
        title=html.escape(f"basemesa: {name or 'scenario'}, seed {config.seed}"), lead=lead,
        story=_story(name, data.get("description")), framing=html.escape(FRAMING),
        summary=_summary(run_dir), labels=_labels(run_dir), figures=_figures(run_dir),
        config=_config(config, record), files=_files(run_dir))


def write_report(run_dir: str | Path) -> Path:
    """Write ``report.html`` into a run directory (atomically) and return its path."""
    run_dir = Path(run_dir)
    text = render_report(run_dir)
    path = run_dir / REPORT
    atomic_write(path, lambda p: p.write_text(text, encoding="utf-8"))
    path.chmod(0o644)
    return path
