"""``basemesa``: one command for the stories, their run directories and sweeps.

    basemesa list                      the built-in scenarios, their stories and knobs
    basemesa run NAME [options]        evolve, assess, draw and report one (as python -m scenarios.NAME)
    basemesa assess DIR                assess a saved run again; rewrite its assessment, figures, report
    basemesa report DIR                (re)write a run directory's report.html
    basemesa sweep FILE.toml           run a sweep declared in a TOML file

Errors are one line on stderr: exit status 2 for a mistake in what was asked, 1 for a failure of
the system (a full disk), 130 when interrupted.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import textwrap
from pathlib import Path

from scenarios.app.cli import FORMATS, OneLineParser
from scenarios.app.report import FRAMING, REPORT, write_report
from scenarios.registry import knob_names, module, names


def listing() -> list[str]:
    """Each built-in scenario's name, the first line of its story, and its knobs."""
    lines = []
    for name in names():
        doc = (module(name).__doc__ or "").strip().splitlines()[0]
        lines += [f"{name:<12} {doc}", f"{'':<12} knobs: {', '.join(knob_names(name))}"]
    return lines


def _list(args: argparse.Namespace) -> int:
    print("\n".join(listing()))
    print("\nrun one: basemesa run NAME   (basemesa run NAME --help lists its options)")
    return 0


def _run(args: argparse.Namespace) -> int:
    if args.name not in names():
        raise ValueError(f"unknown scenario {args.name!r}; valid names are {names()}")
    return module(args.name).main(list(args.options))


def _figure_formats(run_dir: Path) -> tuple[str, ...]:
    """The formats the run's figures were drawn in (png when it has none)."""
    found = tuple(f for f in FORMATS if (run_dir / f"divergence.{f}").exists())
    return found or ("png",)


def _assess(args: argparse.Namespace) -> int:
    import pandas as pd

    from evolution import RunResult
    from scenarios.app.cli import summary_table, write_figures
    from scenarios.engine.measure import assess

    if args.worlds < 1:
        raise ValueError(f"--worlds: must be >= 1, got {args.worlds}")
    if args.seed < 0:
        raise ValueError(f"--seed: must be >= 0, got {args.seed}")
    run = RunResult.load(args.dir)
    table = assess(run.scenario, run.population, worlds=args.worlds, seed=args.seed, behavior=args.behavior,
                   progress=False if args.quiet else None)
    run = dataclasses.replace(run, assessment=table)
    run.save(args.dir)
    if not args.no_figures:
        write_figures(run, args.dir, _figure_formats(args.dir))
    report = write_report(args.dir)
    if not args.quiet:
        with pd.option_context("display.float_format", "{:.2f}".format, "display.width", 120):
            print(summary_table(run).to_string())
        if "label" in table:
            shares = table.drop_duplicates("organism")["label"].value_counts(normalize=True)
            print("labels: " + ", ".join(f"{label} {share:.0%}" for label, share in shares.items()))
        print(f"assessment: {args.dir / 'assessment.csv'} ({len(table)} rows); report: {report}")
    return 0


def _report(args: argparse.Namespace) -> int:
    path = write_report(args.dir)
    if not args.quiet:
        print(path)
    return 0


def _executor(spec):
    """The sweep's executor, and what to close when it is done."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    if spec.executor == "process":
        if spec.workers is None:
            return None, None
        pool = ProcessPoolExecutor(max_workers=spec.workers, mp_context=multiprocessing.get_context("spawn"))
        return pool, pool.shutdown
    if spec.executor == "serial":
        pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
        return pool, pool.shutdown
    try:
        from dask.distributed import Client
    except ImportError:
        raise ValueError(f"executor {spec.executor!r}: a Dask address needs dask.distributed "
                         f"(pip install 'basemesa[dask]')") from None
    client = Client(spec.executor, timeout=30)
    return client.get_executor(), client.close


def _sweep(args: argparse.Namespace) -> int:
    import pandas as pd

    from evolution import sweep
    from evolution.files import write_csv
    from evolution.sweeps import plan
    from scenarios.app.sweep_file import read_sweep, sweep_arguments

    spec = read_sweep(args.file)
    kwargs = sweep_arguments(spec, str(args.file))
    out = args.out or Path(spec.out or Path("runs") / f"sweep-{args.file.stem}")
    points = len(spec.seeds)
    for values in spec.grid.values():
        points *= len(values)
    if args.check:
        print(f"{args.file}: {spec.scenario}, {points} point(s) "
              f"({' x '.join(f'{k} {len(v)}' for k, v in spec.grid.items()) or 'no grid'} x {len(spec.seeds)} "
              f"seed(s)), executor {spec.executor}, out {out}")
        return 0
    executor, close = _executor(spec)
    try:
        table = sweep(**kwargs, executor=executor, out=out, progress=False if args.quiet else None)
    finally:
        if close is not None:
            close()
    write_csv(out / "sweep.csv", table)
    for point in plan(kwargs["factory"], spec.grid, spec.seeds, kwargs["config"]):
        write_report(out / point.name)  # a page per point (its tables; points draw no figures)
    if not args.quiet:
        keys = [*spec.grid, "distribution"]
        shown = [c for c in ("base_frac", "decision_agreement", "capability_retained", "goal_retained",
                             "agreement") if c in table.columns]
        with pd.option_context("display.float_format", "{:.2f}".format, "display.width", 120):
            print(table.groupby(keys, sort=False)[shown].mean().to_string())
        print(f"sweep: {points} point(s) in {out}; every row in {out / 'sweep.csv'}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="basemesa", description=__doc__.split("\n\n")[0].replace("``", ""),
                           formatter_class=argparse.RawDescriptionHelpFormatter, epilog=FRAMING)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True,
                                title="commands (basemesa COMMAND --help for each)")
    p = sub.add_parser("list", help="list the built-in scenarios, their stories and knobs",
                       description="List the built-in scenarios: name, the first line of the story, knobs.")
    p.set_defaults(handler=_list)
    p = sub.add_parser("run", help="evolve, assess, draw and report one scenario", add_help=True,
                       description="Evolve a scenario, assess the final population, draw its figures and "
                                   f"write the run directory with its {REPORT}. The options are those of "
                                   "python -m scenarios.NAME: see basemesa run NAME --help.",
                       usage="basemesa run NAME [options]")
    p.add_argument("name", metavar="NAME", help=f"a built-in scenario: {', '.join(names())}")
    p.add_argument("options", nargs=argparse.REMAINDER, metavar="options",
                   help="the scenario's options (--seed, --generations, --set KNOB=VALUE, --out, ...)")
    p.set_defaults(handler=_run)
    p = sub.add_parser("assess", help="assess a saved run again and rewrite its assessment, figures and report",
                       description="Assess a saved run directory's final population again (say, on more "
                                   "worlds, or with behavioral objectives), and rewrite its assessment.csv, "
                                   f"summary.json, figures and {REPORT}; prints the summary.")
    p.add_argument("dir", type=Path, metavar="DIR", help="a run directory")
    p.add_argument("--worlds", type=int, default=300, metavar="N",
                   help="worlds per distribution (default 300)")
    p.add_argument("--seed", type=int, default=0, metavar="N",
                   help="the assessment seed, independent of the run's (default 0, as the command line)")
    p.add_argument("--behavior", action="store_true",
                   help="also infer each organism's behavioral objective (slower; adds the behavior* columns)")
    p.add_argument("--no-figures", action="store_true", help="keep the figures as they are")
    p.add_argument("--quiet", action="store_true", help="print nothing but errors")
    p.set_defaults(handler=_assess)
    p = sub.add_parser("report", help=f"write a run directory's {REPORT}",
                       description=f"Write {REPORT} into a run directory from its files: the story, summary, "
                                   "labels and their definitions, figures (embedded), Config and knobs, and "
                                   "links to its tables. One self-contained page: no network needed.")
    p.add_argument("dir", type=Path, metavar="DIR", help="a run directory")
    p.add_argument("--quiet", action="store_true", help="do not print the report's path")
    p.set_defaults(handler=_report)
    p = sub.add_parser("sweep", help="run a sweep declared in a TOML file",
                       description="Run a sweep declared in a TOML file: scenario, grid, seeds, knobs, config, "
                                   "executor (process, serial or a Dask address), out. A point already done "
                                   "is loaded, a killed sweep resumes. Writes every point's run directory and "
                                   "sweep.csv (every assessment row) into out.",
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       epilog="An example file:\n\n" + _example())
    p.add_argument("file", type=Path, metavar="FILE.toml", help="the sweep file")
    p.add_argument("--out", type=Path, metavar="DIR", help="the output folder (default: the file's out)")
    p.add_argument("--check", action="store_true", help="validate the file and print the points, run nothing")
    p.add_argument("--quiet", action="store_true", help="print nothing but errors")
    p.set_defaults(handler=_sweep)
    return parser


def _example() -> str:
    from scenarios.app import sweep_file

    return textwrap.dedent(sweep_file.__doc__.split("::", 1)[1]).strip() + "\n"


def main(argv: list[str] | None = None) -> int:
    """``basemesa``: returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    prog = f"basemesa {args.command}"
    try:
        return args.handler(args)
    except ValueError as exc:
        print(f"{prog}: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"{prog}: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{prog}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
