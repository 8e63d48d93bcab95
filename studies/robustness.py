"""Robustness maps: where a story's signature holds (not collected by pytest).

    python -m studies.robustness sweet_tooth [--part one_at_a_time|together|all] [--out runs/robustness]
                                             [--executor process|serial|tcp://host:8786] [--workers 2]

For the story, with the ranges and reduced run sizes ``studies/robustness.toml`` declares:

1. **one at a time**: each knob and shared setting (world size, steps, episodes per evaluation,
   population) over its range, the others at their defaults, ``seeds`` seeds a point; the story's
   signature (its claims-file thresholds, through its signature study's ``run_claims``) judged at
   every point; the range around the default where it holds;
2. **together**: a Sobol design over the knobs (one seed a row) and the first-order and total
   sensitivity indices of the signature's headline number.

Every run goes through ``evolution.sweep`` into ``--out``, so a killed study resumes where it was and
gives the same tables on any executor. Writes ``docs/results/robustness_<story>_*.csv`` and
``docs/figures/robustness_<story>.png``, and prints the total time.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

RANGES = Path(__file__).resolve().with_name("robustness.toml")
RUN_SIZES = ("population", "generations")
"""Config fields the maps run at reduced size (declared per story in the ranges file)."""


def declared(story: str, path: Path = RANGES) -> dict:
    """The story's section of the ranges file, with the file's ``seeds_min`` rule.

    Raises:
        KeyError: naming the stories the file declares.
    """
    table = tomllib.loads(path.read_text(encoding="utf-8"))
    if story not in table:
        raise KeyError(f"{path.name}: no section {story!r}; stories are {sorted(k for k in table if k != 'rule')}")
    return {**table[story], "seeds_min": table["rule"]["seeds_min"]}


def signature(spec: dict) -> tuple[Callable[[pd.DataFrame], dict], Callable]:
    """The story's signature study's ``signature_row`` (one run's numbers) and ``run_claims``."""
    module = importlib.import_module(f"studies.{spec['signature']}")
    return module.signature_row, module.run_claims


def factory(story: str, spec: dict) -> Callable[..., Any]:
    """The sweep's scenario factory: the story at the map's reduced run sizes."""
    from scenarios.app.robustness import story_at

    return functools.partial(story_at, story, run=tuple((k, spec[k]) for k in RUN_SIZES))


def defaults(story: str, spec: dict) -> dict[str, Any]:
    """Every mapped key's default: the story's knobs, its world shape, and the run's Config."""
    import evolution
    from scenarios.analyses.robustness import world_defaults

    sc = factory(story, spec)()
    knobs = {k: v for k, v in sc.knobs.items() if k != "setting"}
    config = evolution.Config.for_scenario(sc)
    return {**knobs, **world_defaults(sc), "episodes": config.episodes, "population": config.population,
            "generations": config.generations}


def run_settings(story: str, spec: dict, settings: list, seeds: list[int], executor: Any, out: Path | None,
                 progress: bool | None = None) -> pd.DataFrame:
    """Evolve and assess every setting × seed through ``evolution.sweep``; one row per run with the
    signature's numbers, in the sweep's order, keyed by ``setting`` and ``seed``.

    A run's numbers are its signature study's ``signature_row`` of its assessment table and, where the
    study defines ``run_row(scenario, run, worlds)`` (a signature measured on the evolved population
    itself, as the overseer's compliance is), that too, from the run directory the sweep keeps in
    ``out``. A story whose ranges declare a ``pair`` (``{key, values}``: e.g. heuristics beside
    planners) runs each setting once per value of the pair's key, and a row holds both runs' numbers,
    each prefixed with its value (``heuristic_base_frac_train``)."""
    import evolution

    module = importlib.import_module(f"studies.{spec['signature']}")
    unique = list(dict.fromkeys(settings))
    pair = spec.get("pair")
    swept = unique if pair is None else [s + ((pair["key"], v),) for s in unique for v in pair["values"]]
    run_row = getattr(module, "run_row", None)
    if run_row is not None and out is None:
        raise ValueError(f"{spec['signature']}: its signature reads the evolved populations; give out")
    make = factory(story, spec)
    table = evolution.sweep(make, {"setting": swept}, seeds, None, executor, out,
                            assess_worlds=spec["assess_worlds"], resample_worlds=True, progress=progress)
    key = table["setting"].map(repr)
    numbers = {}
    for (_, seed), part in table.groupby([key, "seed"], sort=False):
        setting = part["setting"].iloc[0]
        row = module.signature_row(part)
        if run_row is not None:
            from evolution.sweeps import plan

            point, = plan(make, {"setting": [setting]}, [int(seed)])
            run = evolution.RunResult.load(Path(out) / point.name)
            row.update(run_row(point.scenario, run, spec["assess_worlds"]))
        numbers[repr(setting), int(seed)] = row
    rows = []
    for setting in unique:
        for seed in seeds:
            if pair is None:
                row = numbers[repr(setting), seed]
            else:
                row = {f"{v}_{k}": x for v in pair["values"]
                       for k, x in numbers[repr(setting + ((pair["key"], v),)), seed].items()}
            rows.append({"setting": setting, "seed": int(seed), **row})
    return pd.DataFrame(rows)


def one_at_a_time(story: str, spec: dict, executor: Any = None, out: Path | None = None,
                  progress: bool | None = None) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The one-at-a-time map: (runs, points, holding ranges)."""
    from scenarios.analyses.robustness import holding_ranges, judge, point_of
    from scenarios.analyses.robustness import one_at_a_time as settings_of

    known = defaults(story, spec)
    ranges = spec["one_at_a_time"]
    runs = run_settings(story, spec, settings_of(ranges, known), list(range(spec["seeds"])), executor, out, progress)
    pairs = [point_of(s) for s in runs.pop("setting")]
    runs.insert(0, "knob", [k for k, _ in pairs])
    runs.insert(1, "value", pd.Series([v for _, v in pairs], dtype=object))
    _, claims = signature(spec)
    points = judge(runs, claims, ["knob", "value"], spec["seeds_min"])
    return runs, points, holding_ranges(points, {k: known[k] for k in ranges})


def together(story: str, spec: dict, executor: Any = None, out: Path | None = None,
             progress: bool | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The global view: (the design's runs with the headline, the sensitivity indices)."""
    from scenarios.analyses.robustness import sobol_design, sobol_indices

    bounds = spec["together"]
    design = sobol_design(bounds, spec["sobol_n"], seed=0)
    settings = [tuple(row.items()) for row in design.to_dict("records")]
    runs = run_settings(story, spec, settings, [0], executor, out, progress)
    by_setting = dict(zip(runs["setting"].map(repr), runs.drop(columns=["setting", "seed"]).to_dict("records")))
    numbers = pd.DataFrame([by_setting[repr(s)] for s in settings])
    design_runs = pd.concat([design, numbers], axis=1)
    return design_runs, sobol_indices(bounds, design_runs[spec["headline"]])


def rank_indices(spec: dict, design_runs: pd.DataFrame) -> pd.DataFrame:
    """The sensitivity indices of the headline's ranks (ties averaged): robust to a few rows where a
    ratio's denominator nears zero and one run carries nearly all the variance. A post-hoc view,
    asked for per story by ``rank_indices = true`` in the ranges file."""
    from scenarios.analyses.robustness import sobol_indices

    return sobol_indices(spec["together"], design_runs[spec["headline"]].rank())


def boundary(story: str, spec: dict, runs: pd.DataFrame, ranges: pd.DataFrame) -> pd.DataFrame:
    """The predicted boundary on the story's cost-against-gain knob (the landscape analysis, at the
    map's defaults) beside the evolved one (where the seeds' mean ``boundary_share`` crosses 0.5) and
    the nearest value below the default where the signature fails."""
    from scenarios.analyses.landscape import boundary_crossing
    from scenarios.analyses.robustness import sensor_gain

    knob = spec["boundary"]
    known = defaults(story, spec)
    along = pd.concat([runs[runs.knob == knob], runs[runs.knob == "default"].assign(value=known[knob])])
    share = along.groupby("value")[spec["boundary_share"]].mean()
    predicted = sensor_gain(factory(story, spec)())
    row = ranges.set_index("knob").loc[knob]
    return pd.DataFrame([{"knob": knob, "predicted": predicted["gain"], "predicted_se": predicted["se"],
                          "evolved": boundary_crossing(share.index.to_numpy(float), share.to_numpy() - 0.5),
                          "signature_fails_below": row["fails_below"], "signature_low": row["low"]}])


def _executor(name: str, workers: int):
    """The executor named on the command line, and what closes it."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    if name in ("process", "serial"):
        pool = ProcessPoolExecutor(max_workers=1 if name == "serial" else workers,
                                   mp_context=multiprocessing.get_context("spawn"))
        return pool, pool.shutdown
    from dask.distributed import Client

    client = Client(name, timeout=30)
    return client.get_executor(), client.close


def write(results: Path, story: str, tables: dict[str, pd.DataFrame]) -> None:
    results.mkdir(parents=True, exist_ok=True)
    for part, table in tables.items():
        table.round(4).to_csv(results / f"robustness_{story}_{part}.csv", index=False)


def draw(story: str, spec: dict, results: Path, figures: Path) -> Path:
    """The story's robustness figure from its committed tables."""
    import plots
    from plots.robustness import robustness_map

    points = read_table(results / f"robustness_{story}_points.csv")
    runs = read_table(results / f"robustness_{story}_runs.csv")
    sobol = results / f"robustness_{story}_sobol.csv"
    ranked = results / f"robustness_{story}_sobol_rank.csv"
    label = "Sobol indices"
    if ranked.exists():  # the story asked for them because its declared indices are uninformative
        sobol, label = ranked, "Sobol indices of ranks (post hoc)"
    from studies.claims import thresholds

    # The claims file's section is the signature study's name unless the ranges name another (suboptimality's).
    section = spec.get("claims", spec["signature"])
    threshold = thresholds(section)[spec["headline_claim"]] if "headline_claim" in spec else None
    fig = robustness_map(runs, points, defaults(story, spec), spec["headline"],
                         pd.read_csv(sobol) if sobol.exists() else None, title=f"{story}: where the signature holds",
                         threshold=threshold, indices_title=label)
    figures.mkdir(parents=True, exist_ok=True)
    plots.save_figure(fig, figures / f"robustness_{story}", formats=("png",))
    return figures / f"robustness_{story}.png"


def _parse(v):
    """A value read back from CSV as the number (or name) it was."""
    if isinstance(v, float) and v != v:
        return None
    if isinstance(v, (int, float)):
        return v
    if v in ("True", "False"):  # a switch (the overseer's tied), written by pandas as Python spells it
        return v == "True"
    for kind in (int, float):
        try:
            return kind(v)
        except (TypeError, ValueError):
            pass
    return v


def read_table(path: Path) -> pd.DataFrame:
    """A committed table with its ``value`` column as the numbers (or names) mapped: read as text first,
    so a column of counts and costs alone (Aurora's) keeps 6 an int and 1.0 a float, as the map had them."""
    return read_values(pd.read_csv(path, dtype={"value": str}))


def read_values(table: pd.DataFrame) -> pd.DataFrame:
    """A table read back from CSV with its ``value`` column as the numbers (or names) mapped."""
    if "value" not in table.columns:
        return table
    # object dtype: pandas would make a column of ints, floats and None all floats (6 -> 6.0)
    return table.assign(value=pd.Series([_parse(v) for v in table["value"].astype(object)], index=table.index,
                                        dtype=object))


def _done(out: Path) -> int:
    """Points of a map already finished in ``out`` (a resumed study loads them)."""
    return len(list(out.glob("*/point.json"))) if out.exists() else 0


def record_time(results: Path, story: str, rows: list[dict]) -> pd.DataFrame:
    """Add this invocation's wall times to ``robustness_<story>_time.csv``: a part that resumed (some
    points were already done) adds a row to the earlier ones; one run from scratch replaces them; one
    that ran no point (its tables recomputed from finished points) adds nothing."""
    path = results / f"robustness_{story}_time.csv"
    table = pd.read_csv(path) if path.exists() else pd.DataFrame(columns=["part", "points_run", "points_loaded", "seconds"])
    for row in [r for r in rows if r["points_run"]]:
        if row["points_loaded"] == 0:
            table = table[table.part != row["part"]]
        table = pd.concat([table, pd.DataFrame([row])], ignore_index=True)
    results.mkdir(parents=True, exist_ok=True)
    table.round(1).to_csv(path, index=False)
    return table


def _num(v) -> str:
    if isinstance(v, bool):
        return str(v).lower()  # as the ranges file and the command line spell a switch
    return f"{v:g}" if isinstance(v, (int, float)) else str(v)


def range_in_words(row: pd.Series, mapped: list) -> str:
    """One knob's holding range as the story page states it."""
    head = f"- `{row.knob}` (default {_num(row.default)}, mapped {', '.join(_num(v) for v in mapped)}): "
    if not row.default_holds:
        held = row.holds_at if isinstance(row.holds_at, str) and row.holds_at else "no value"
        return head + f"does not hold at the default at the maps' run sizes; holds at {held}."
    if not row.numeric:
        if not isinstance(row.fails_at, str) or not row.fails_at:
            return head + "holds with every value mapped."
        def named(values: str) -> str:
            return ", ".join(_num(_parse(v)) for v in values.split("; "))

        return head + f"holds with {named(row.holds_at)}; fails with {named(row.fails_at)}."
    low, high = float(row.low), float(row.high)
    if pd.isna(row.fails_below) and pd.isna(row.fails_above):
        text = head + f"holds over the whole range mapped, {_num(low)} to {_num(high)}"
    else:
        text = head + (f"holds from {_num(low)} to {_num(high)}" if low != high else "holds only at the default")
        ends = [f"fails at {_num(v)} {side}" for v, side in ((row.fails_below, "below"), (row.fails_above, "above"))
                if pd.notna(v)]
        text += "; " + " and ".join(ends)
    outside = [v for v in str(row.holds_at).split("; ") if v and not low <= float(v) <= high]
    if outside:
        text += f"; beyond that, holds again at {', '.join(_num(float(v)) for v in outside)}"
    return text + "."


def design_runs(spec: dict, knobs: int) -> str:
    """The Sobol design's size in words: its runs, or its pairs of runs where the story declares a pair."""
    rows = spec["sobol_n"] * (knobs + 2)
    if "pair" not in spec:
        return f"{rows} runs"
    return f"{rows} design rows, each a pair of runs ({' and '.join(spec['pair']['values'])})"


def section(story: str, spec: dict, results: Path) -> str:
    """The robustness section of the story's page, from its committed tables (a test compares them)."""
    read = {p: pd.read_csv(results / f"robustness_{story}_{p}.csv")
            for p in ("ranges", "sobol", "sobol_rank", "time", "boundary") if (results / f"robustness_{story}_{p}.csv").exists()}
    ranges = read["ranges"]
    for column in ("default", "low", "high", "fails_below", "fails_above"):
        ranges[column] = [_parse(v) for v in ranges[column].astype(object)]
    mapped = {k: [_parse(v) for v in vals] for k, vals in spec["one_at_a_time"].items()}
    lines = [f"![Where the signature holds](../figures/robustness_{story}.png)", "",
             f"Run sizes of the maps: population {spec['population']}, {spec['generations']} generations, "
             f"{spec['assess_worlds']} assessment worlds per distribution; {spec['seeds']} seeds a point; a point "
             f"holds when every claim of the signature holds in at least {spec['seeds_min']} of its seeds.", ""]
    lines += [range_in_words(row, mapped[row.knob]) for row in ranges.itertuples()]
    if "boundary" in read:
        b = read["boundary"].iloc[0]
        lines += ["", f"Phase boundary on `{b.knob}`: the landscape analysis predicts the sensor is kept below "
                      f"{b.predicted:.2f} ± {b.predicted_se:.2f} per episode; in evolution the share keeping it "
                      f"crosses 50 % at {b.evolved:.2f}."]
    def indices(ind: pd.DataFrame) -> str:
        return ", ".join(f"`{r.knob}` {r.S1:.2f} ± {r.S1_conf:.2f} / {r.ST:.2f} ± {r.ST_conf:.2f}"
                         for r in ind.itertuples())

    if "sobol" in read:
        ind = read["sobol"]
        lines += ["", f"Sensitivity of `{spec['headline']}` (first-order / total Sobol index ± the 95 % bootstrap "
                      f"half-width, {design_runs(spec, len(ind))} of one seed): {indices(ind)}."]
    if "sobol_rank" in read:
        lines += ["", f"Post hoc, the same indices of the headline's ranks (asked for after the indices above "
                      f"came out uninformative): {indices(read['sobol_rank'])}."]
    if "time" in read:
        t = read["time"]
        parts = []
        for p, rows in t.groupby("part", sort=False):
            untimed = int(rows.points_loaded.iloc[0])  # done by a killed invocation, which records no time
            parts.append(f"{p} {rows.seconds.sum() / 60:.0f} min"
                         + (f", not counting {untimed} points run before a kill" if untimed else ""))
        lines += ["", f"Total time of the study: {t.seconds.sum() / 60:.0f} min ({'; '.join(parts)}; 2 worker "
                      f"processes on a shared 2-core machine)."]
    return "\n".join(lines)


def write_section(page: Path, text: str) -> None:
    """Put ``text`` between the page's robustness markers."""
    start, end = "<!-- robustness:start -->", "<!-- robustness:end -->"
    content = page.read_text(encoding="utf-8")
    if start not in content or end not in content:
        raise ValueError(f"{page}: no {start} ... {end} markers to write the robustness section between")
    head, rest = content.split(start, 1)
    page.write_text(head + start + "\n" + text + "\n" + end + rest.split(end, 1)[1], encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("story")
    parser.add_argument("--part", choices=("one_at_a_time", "together", "all", "boundary", "figure", "page"), default="all")
    parser.add_argument("--out", type=Path, default=Path("runs/robustness"))
    parser.add_argument("--executor", default="process", help='"process", "serial" or a Dask scheduler address')
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--results", type=Path, default=Path("docs/results"))
    parser.add_argument("--figures", type=Path, default=Path("docs/figures"))
    args = parser.parse_args(argv)
    spec = declared(args.story)
    times = []
    if args.part == "page":
        write_section(Path("docs/stories") / f"{args.story}.md", section(args.story, spec, args.results))
        return 0
    if args.part == "boundary":  # from the committed tables, without a sweep
        read = {p: read_table(args.results / f"robustness_{args.story}_{p}.csv") for p in ("runs", "ranges")}
        write(args.results, args.story, {"boundary": boundary(args.story, spec, read["runs"], read["ranges"])})
    elif args.part != "figure":
        executor, close = _executor(args.executor, args.workers)
        try:
            for part in ("one_at_a_time", "together"):
                if args.part not in (part, "all"):
                    continue
                out = args.out / args.story / part
                loaded, start = _done(out), time.perf_counter()
                if part == "one_at_a_time":
                    runs, points, ranges = one_at_a_time(args.story, spec, executor, out, True)
                    write(args.results, args.story, {"runs": runs, "points": points, "ranges": ranges})
                    if "boundary" in spec:
                        write(args.results, args.story, {"boundary": boundary(args.story, spec, runs, ranges)})
                    with pd.option_context("display.width", 200):
                        print(points.to_string(index=False))
                        print(ranges.to_string(index=False))
                else:
                    design_runs, indices = together(args.story, spec, executor, out, True)
                    write(args.results, args.story, {"design": design_runs, "sobol": indices})
                    print(indices.round(3).to_string(index=False))
                    if spec.get("rank_indices"):
                        ranked = rank_indices(spec, design_runs)
                        write(args.results, args.story, {"sobol_rank": ranked})
                        print("on ranks:\n" + ranked.round(3).to_string(index=False))
                times.append({"part": part, "points_run": _done(out) - loaded, "points_loaded": loaded,
                              "seconds": time.perf_counter() - start})
                record_time(args.results, args.story, times[-1:])
        finally:
            close()
    if (args.results / f"robustness_{args.story}_points.csv").exists():
        print(draw(args.story, spec, args.results, args.figures))
        page = Path("docs/stories") / f"{args.story}.md"
        if args.part == "all" and "<!-- robustness:start -->" in page.read_text(encoding="utf-8"):
            write_section(page, section(args.story, spec, args.results))
    for t in times:
        print(f"{t['part']}: {t['points_run']} points run, {t['points_loaded']} loaded, in {t['seconds'] / 60:.1f} min")
    if times:
        print(f"this invocation: {sum(t['seconds'] for t in times) / 60:.1f} min ({args.workers} workers, executor "
              f"{args.executor})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
