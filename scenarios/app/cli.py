"""The command line every scenario shares: ``python -m scenarios.<name> [options]``.

Evolves the scenario, assesses the final population on training and deployment worlds, writes the
run directory with its figures, and prints a short summary. Errors in the options are one readable
line on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
from tqdm.auto import tqdm

from organisms.metrics import RUN_SUMMARY_COLUMNS, ratio
from scenarios.app.report import FRAMING, REPORT, write_report
from scenarios.engine.scenario import Scenario

FORMATS = ("png", "svg", "pdf")


def _parse_value(raw: str, kind: type, knob: str) -> Any:
    if kind is bool or kind == "bool":
        low = raw.strip().lower()
        if low in ("1", "true", "yes", "on"):
            return True
        if low in ("0", "false", "no", "off"):
            return False
        raise ValueError(f"--set {knob}: expected true or false, got {raw!r}")
    for caster in (int, float):
        if kind in (caster, caster.__name__):
            try:
                return caster(raw)
            except ValueError:
                raise ValueError(f"--set {knob}: expected a {caster.__name__}, got {raw!r}") from None
    return raw


def parse_knobs(pairs: list[str], knobs_cls: type) -> dict[str, Any]:
    """``["name=value", ...]`` into typed knob values, validated against the scenario's knobs."""
    fields = {f.name: f for f in dataclasses.fields(knobs_cls)}
    out = {}
    for pair in pairs:
        if "=" not in pair:
            raise ValueError(f"--set: expected knob=value, got {pair!r}")
        key, raw = (s.strip() for s in pair.split("=", 1))
        if key not in fields:
            raise ValueError(f"--set: unknown knob {key!r}; valid knobs are {list(fields)}")
        kind = fields[key].type
        if isinstance(kind, str):  # postponed annotations: "float", "int", "bool"
            kind = {"float": float, "int": int, "bool": bool}.get(kind, str)
        out[key] = _parse_value(raw, kind, key)
    return out


def parse_optimizer_options(pairs: list[str]) -> dict[str, Any]:
    """``["key=value", ...]`` into the base optimizer's options: a value is read as JSON (numbers,
    true/false, null), else kept as a string; the optimizer validates them (``Config``)."""
    out = {}
    for pair in pairs:
        if "=" not in pair:
            raise ValueError(f"--optimizer-option: expected key=value, got {pair!r}")
        key, raw = (s.strip() for s in pair.split("=", 1))
        try:
            out[key] = json.loads(raw)
        except json.JSONDecodeError:
            out[key] = raw
    return out


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr (no usage block) and exit status 2."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def default_run_dir(name: str, knobs: dict[str, Any], knobs_cls: type, overrides: dict[str, Any],
                    seed: int) -> Path:
    """``runs/<name>[-<key>=<value>...]-seed<SEED>``: every knob and Config option that differs from
    its default is in the name (sorted), so runs that differ never share a default directory."""
    defaults = {f.name: f.default for f in dataclasses.fields(knobs_cls)}
    changed = {**{k: v for k, v in knobs.items() if v != defaults.get(k)}, **overrides}
    parts = [name] + [f"{k}={re.sub(r'[^A-Za-z0-9._+]', '_', str(v))}" for k, v in sorted(changed.items())]
    return Path("runs") / "-".join([*parts, f"seed{seed}"])


RUN_OPTIONS = ("seed", "generations", "population", "episodes", "optimizer", "out")
"""Options that define a run: with --resume they come from the run directory instead."""


def build_parser(name: str, knobs_cls: type, doc: str | None) -> argparse.ArgumentParser:
    knob_help = ", ".join(f"{f.name} (default {f.default!r})" for f in dataclasses.fields(knobs_cls))
    parser = OneLineParser(
        prog=f"python -m scenarios.{name}",
        description=(doc or "").strip().split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=FRAMING,
    )
    parser.add_argument("--seed", type=int, metavar="N",
                        help="run seed (>= 0): fixes the run bit for bit (default 0)")
    parser.add_argument("--generations", type=int, metavar="N",
                        help="generations to run (>= 1; default: the scenario's Config, else 60)")
    parser.add_argument("--population", type=int, metavar="N",
                        help="organisms per generation (>= 2; default: the scenario's Config, else 150)")
    parser.add_argument("--episodes", type=int, metavar="N",
                        help="training worlds per evaluation (>= 1; default: the scenario's Config, else 8)")
    from evolution.optimizers import DEFAULT, describe, names, option_names

    parser.add_argument("--optimizer", metavar="NAME",
                        help=f"the base optimizer: {describe()}; default: the scenario's Config, else "
                             f"{DEFAULT}")
    own = "; ".join(f"{name}: {', '.join(option_names(name))}" for name in names())
    parser.add_argument("--optimizer-option", dest="optimizer_options", action="append", default=[],
                        metavar="KEY=VALUE",
                        help=f"set one of the base optimizer's own options (repeatable), e.g. sigma=0.1; "
                             f"the options are {own}; an unknown one is an error listing the valid ones")
    parser.add_argument("--workers", type=int, metavar="N",
                        help="numba threads for evaluation (>= 1; default every core); results do not "
                             "depend on it")
    parser.add_argument("--out", type=Path, metavar="DIR",
                        help=f"run directory to write: config, log, population, assessment, figures, "
                             f"checkpoints (default runs/{name}[-<knob>=<value>...]-seed<SEED>, naming "
                             f"every knob and option that differs from its default)")
    parser.add_argument("--overwrite", action="store_true",
                        help="allow the run directory to hold a different run, which is then replaced "
                             "(without it that is an error)")
    parser.add_argument("--set", dest="knobs", action="append", default=[], metavar="KNOB=VALUE",
                        help=f"set a scenario knob (repeatable): {knob_help}")
    parser.add_argument("--shortest-paths", action="store_true",
                        help="planners and the oracle walk shortest paths, as before routes around harm "
                             "(default: they route around what their objective values below zero)")
    parser.add_argument("--resume", type=Path, metavar="RUN_DIR",
                        help="continue a killed run from its last checkpoint, with the Config and knobs "
                             "it was started with (so no --seed, --generations, --population, "
                             "--episodes, --out, --set or --shortest-paths beside it)")
    parser.add_argument("--checkpoint-every", type=int, default=10, metavar="K",
                        help="write a checkpoint every K generations (default 10)")
    parser.add_argument("--log-jsonl", type=Path, metavar="FILE",
                        help="also write the run log to FILE as JSON lines, one per generation as it "
                             "ends: tail -f it, or load it with pandas.read_json(FILE, lines=True)")
    parser.add_argument("--assess-worlds", type=int, default=300, metavar="N",
                        help="worlds per distribution for the final assessment (default 300)")
    parser.add_argument("--formats", default="png",
                        help=f"figure formats, comma-separated, from {', '.join(FORMATS)} (default png; "
                             f"vector formats on request, e.g. --formats png,svg)")
    parser.add_argument("--quiet", action="store_true", help="print nothing but errors (no progress bar, no summary)")
    return parser


SUMMARY_NAMES = {"base": "base (pop. mean)", "oracle_base": "oracle", "base_frac": "% of oracle",
                 "decision_agreement": "decision agreement", "matched_frac": "% of matched pursuer",
                 "collateral_harm": "collateral harm", "capability_retained": "capability retained",
                 "goal_retained": "goal retained", "agreement": "agreement (pop. mean)"}
"""How the summary's table heads the columns a scenario's summary shows (``Scenario.summary_columns``)."""


def summary_table(run: Any) -> pd.DataFrame:
    """Per distribution, the population means of the columns the scenario's summary shows (the headline
    measures the labels rest on, with Pearson agreement last); a column the assessment lacks is NaN.
    "% of oracle" is the mean base score over the oracle's (NaN where the oracle gained nothing)."""
    table = run.assessment
    columns = getattr(getattr(run, "scenario", None), "summary_columns", None) or RUN_SUMMARY_COLUMNS
    rows = []
    for dist, part in table.groupby("distribution", sort=False):
        row = {"distribution": dist}
        for column in columns:
            if column == "base_frac":
                value = 100 * float(ratio(part["base"].mean(), part["oracle_base"].iloc[0]))
            elif column == "matched_frac":
                # The population's: its mean score over its matched pursuers' mean (a ratio of means).
                value = 100 * float(ratio(part["base"].mean(), part["matched_base"].mean())) \
                    if "matched_base" in part else float("nan")
            elif column == "oracle_base":
                value = part["oracle_base"].iloc[0]
            else:
                value = part[column].mean() if column in part else float("nan")
            row[SUMMARY_NAMES.get(column, column)] = value
        rows.append(row)
    return pd.DataFrame(rows).set_index("distribution")


def summary_lines(run: Any) -> list[str]:
    """The summary the command line prints after a run (the README quotes the main job's): the
    headline table, the labels and the final population's make-up."""
    with pd.option_context("display.float_format", "{:.2f}".format, "display.width", 160):
        lines = summary_table(run).to_string(na_rep="–").splitlines()
    if "label" in run.assessment:
        lines.append(label_line(run.assessment))
    sensors = [c for c in run.log.columns if c.startswith("sensor:")]
    last = run.log.iloc[-1]
    extras = [f"base optimizer {run.config.optimizer}", f"planner share {last['planner_share']:.0%}"]
    extras += [f"{c} {last[c]:.0%}" for c in sensors]
    return lines + ["final population: " + ", ".join(extras)]


def label_line(assessment: pd.DataFrame) -> str:
    """The population's labels, as ``assess`` gives them (the share of organisms with each)."""
    shares = assessment.drop_duplicates("organism")["label"].value_counts(normalize=True)
    return "labels: " + ", ".join(f"{label} {share:.0%}" for label, share in shares.items())


FIGURES = 6
"""At most this many figure files per format come from ``write_figures`` (for its progress bar)."""


def write_figures(run: Any, out: Path, formats: tuple[str, ...],
                  drawn: Callable[[str], None] | None = None) -> list[Path]:
    """The scenario's standard figures, drawn from the run's log and assessment.

    ``drawn``, if given, is called with each figure's name once it is written (a progress bar's hook).
    """
    import numpy as np

    import plots
    from organisms import decode
    from scenarios.engine.measure import episode

    drawn = drawn or (lambda name: None)
    sc = run.scenario
    written = []
    written += plots.save_figure(plots.divergence(run), out / "divergence", formats)
    drawn("divergence")
    intended = None if sc.intended is None else dict(sc.intended.weights)
    written += plots.save_figure(plots.objective_weights(decode(sc, run.population), dict(sc.base.weights),
                                                         intended), out / "objective_weights", formats)
    drawn("objective_weights")
    if run.assessment is not None:
        written += plots.save_figure(plots.train_vs_deploy(run.assessment), out / "train_vs_deploy", formats)
        drawn("train_vs_deploy")
        deploys = [d for d in run.assessment["distribution"].unique() if d != "train"]
        if deploys and run.assessment["agreement"].notna().any():
            written += plots.save_figure(plots.agreement_scatter(run.assessment, deploys[0]),
                                         out / "agreement_scatter", formats)
            drawn("agreement_scatter")
    # The fittest organism of the final generation, in a training world and in each deployment world.
    best = run.population[int(np.argmax(run.fitness))]
    records = [episode(sc, best, d, seed=0) for d in sc.distributions]
    written += plots.save_figure(plots.episode_map(records), out / "episode", formats)
    drawn("episode")
    # Animated, train beside the first deployment only: about 1 s at 100 dpi (blitted frames).
    written.append(plots.episode_gif(records[:2], out / "episode.gif"))
    drawn("episode.gif")
    return written


def _resumed_run(path: Path, name: str, args: argparse.Namespace) -> tuple[Scenario, Any]:
    """The scenario and Config a killed run was started with, read from its run directory."""
    from evolution.result import load_scenario, read_run_header

    given = [f"--{o}" for o in RUN_OPTIONS if getattr(args, o) is not None] + (["--set"] if args.knobs else [])
    given += ["--optimizer-option"] if args.optimizer_options else []
    given += ["--shortest-paths"] if args.shortest_paths else []
    if given:
        raise ValueError(f"--resume: continues the run as it was started; drop {', '.join(given)}")
    config, record = read_run_header(path)
    sc = load_scenario(record)
    if getattr(sc, "name", None) != name:
        raise ValueError(f"--resume: {path} is a run of {getattr(sc, 'name', '?')!r}, not {name!r}")
    if args.workers is not None:
        config = config.replace(workers=args.workers)
    return sc, config


def run_scenario_cli(name: str, knobs_cls: type, make: Callable[..., Scenario],
                     argv: list[str] | None = None, doc: str | None = None,
                     story: Callable[[Any], list[str]] | None = None) -> int:
    """Parse options, evolve, assess, draw, summarise; returns the exit status (2: bad options).

    ``story``, if given, turns the assessed run into the lines the summary leads with (what the
    scenario's story is about), printed before the standard table.
    """
    from evolution import Config, JsonLinesLog, evolve
    from evolution.loop import show_progress

    parser = build_parser(name, knobs_cls, doc)
    args = parser.parse_args(argv)
    out, evolved = None, False
    try:
        formats = tuple(f.strip().lower() for f in args.formats.split(",") if f.strip())
        bad = [f for f in formats if f not in FORMATS]
        if bad or not formats:
            raise ValueError(f"--formats: must be from {FORMATS}, got {args.formats!r}")
        if args.assess_worlds < 1:
            raise ValueError(f"--assess-worlds: must be >= 1, got {args.assess_worlds}")
        if args.checkpoint_every < 1:
            raise ValueError(f"--checkpoint-every: must be >= 1, got {args.checkpoint_every}")
        if args.resume is not None:
            sc, config = _resumed_run(args.resume, name, args)
            out = args.resume
        else:
            knobs = parse_knobs(args.knobs, knobs_cls)
            sc = make(**knobs)
            if args.shortest_paths:
                sc = dataclasses.replace(sc, avoid_harm=False)
            overrides = {k: getattr(args, k) for k in ("generations", "population", "episodes", "workers")
                         if getattr(args, k) is not None}
            seed = 0 if args.seed is None else args.seed
            optimizer = {} if args.optimizer is None else {"optimizer": args.optimizer}
            options = parse_optimizer_options(args.optimizer_options)
            config = Config.for_scenario(sc, seed=seed, **overrides, **optimizer,
                                         **({"optimizer_options": options} if options else {}))
            default = Config.for_scenario(sc, seed=seed, workers=config.workers)
            changed = {k: v for k, v in overrides.items() if getattr(default, k) != v}
            if config.optimizer != default.optimizer:
                changed["optimizer"] = config.optimizer
            own = default.replace(optimizer=config.optimizer).optimizer_options
            changed.update({f"{config.optimizer}.{k}": v for k, v in config.optimizer_options.items()
                            if own[k] != v})
            if args.shortest_paths:
                changed["avoid_harm"] = False
            out = args.out or default_run_dir(name, knobs, knobs_cls, changed, seed)
        started = time.perf_counter()
        run = evolve(sc, config, progress=False if args.quiet else None, out=out,
                     checkpoint_every=args.checkpoint_every, resume=args.resume, overwrite=args.overwrite,
                     callbacks=[JsonLinesLog(args.log_jsonl)] if args.log_jsonl else None)
        evolved = True
        # The generations' bar is done; the rest (assessment, figures, animation) gets its own.
        steps = tqdm(total=3 + FIGURES, desc=f"{name}: assess and draw", unit="step", leave=False,
                     disable=args.quiet or not show_progress(None))
        with steps:
            steps.set_postfix_str("assessment")
            threads = True if config.workers is None else config.workers  # as the evaluation's
            run = dataclasses.replace(run, assessment=sc.assess(run.population, worlds=args.assess_worlds,
                                                                parallel=threads))
            steps.update(1)
            run.save(out)
            steps.update(1)
            figures = write_figures(run, Path(out), formats,
                                    drawn=lambda figure: (steps.set_postfix_str(figure), steps.update(1)))
            steps.set_postfix_str("report")
            write_report(out)
            steps.update(1)
    except ValueError as exc:
        print(f"{parser.prog}: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # a full disk or a read-only folder: still one line, no traceback
        print(f"{parser.prog}: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        # Every file is written whole or not at all, so the directory holds the last checkpoint.
        if evolved:
            where = f"; {out} holds the evolved run, without all of its assessment, figures and report"
        elif out:
            where = f"; {out} keeps its last checkpoint: continue with {parser.prog} --resume {out}"
        else:
            where = ""
        print(f"{parser.prog}: interrupted{where}", file=sys.stderr)
        return 130
    if not args.quiet:
        elapsed = time.perf_counter() - started
        for line in story(run) if story is not None else []:
            print(line)
        for line in summary_lines(run):
            print(line)
        print(f"run directory: {out} ({len(figures)} figure files) in {elapsed:.1f} s")
        print(f"report: {Path(out) / REPORT}")
    return 0
