"""The command line: every option documented, every mistake one readable line and exit status 2."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import scenarios
from evolution import RunResult
from scenarios.__main__ import main as list_main
from scenarios.stories import aurora

PROG = "python -m scenarios.aurora: error:"
TINY = ["--generations", "2", "--population", "6", "--episodes", "2", "--assess-worlds", "3", "--formats", "png"]


def cli(argv, capsys) -> tuple[int, str, str]:
    try:
        code = aurora.main([str(a) for a in argv])
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def test_help_documents_every_option(capsys):
    code, out, _ = cli(["--help"], capsys)
    assert code == 0
    for option in ["--seed", "--generations", "--population", "--out", "--workers", "--set", "--resume",
                   "--quiet", "--formats", "--checkpoint-every", "--episodes", "--assess-worlds",
                   "--optimizer", "--optimizer-option", "--shortest-paths"]:
        assert option in out, option
    for knob in scenarios.knob_names("aurora"):
        assert knob in out, knob


def test_listing_names_every_scenario_and_its_knobs(capsys):
    assert list_main([]) == 0
    out = capsys.readouterr().out
    for name in scenarios.names():
        assert name in out
        for knob in scenarios.knob_names(name):
            assert knob in out
    assert list_main(["aurora"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "error" in err


@pytest.mark.parametrize(("argv", "names"), [
    (["--set", "banner_reliability"], "knob=value"),
    (["--set", "banner_reliabilty=0.5"], "banner_reliability"),
    (["--set", "banner_reliability=2"], "banner_reliability"),
    (["--set", "banner_reliability=high"], "banner_reliability"),
    (["--population", "1"], "Config.population"),
    (["--population", "many"], "--population"),
    (["--generations", "0"], "Config.generations"),
    (["--seed", "-1"], "Config.seed"),
    (["--workers", "0"], "Config.workers"),
    (["--bogus"], "--bogus"),
    (["--formats", "gif"], "--formats"),
    (["--checkpoint-every", "0"], "--checkpoint-every"),
    (["--assess-worlds", "0"], "--assess-worlds"),
    (["--optimizer", "nes"], "'nes'"),
    (["--optimizer-option", "swap"], "key=value"),
    (["--optimizer-option", "noise=1.0"], "noise"),  # the GA has no noise option
    (["--optimizer", "es", "--optimizer-option", "noise=-1"], "noise"),
])
def test_a_bad_option_is_one_line_and_exit_status_two(argv, names, capsys):
    code, out, err = cli(argv, capsys)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith(PROG), err
    assert names in err
    assert "Traceback" not in err


def test_resume_on_a_directory_that_is_not_a_run_is_one_line(tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("hello")
    for target, says in [(tmp_path, "config.json"), (tmp_path / "missing", "not a directory"),
                         (tmp_path / "notes.txt", "not a directory")]:
        code, out, err = cli(["--resume", target], capsys)
        assert code == 2 and err.count("\n") == 1 and err.startswith(PROG), err
        assert says in err


def test_out_on_a_file_is_one_line(tmp_path, capsys):
    (tmp_path / "file").write_text("")
    code, _, err = cli([*TINY, "--out", tmp_path / "file"], capsys)
    assert code == 2 and err.count("\n") == 1 and "not a directory" in err


def test_a_tiny_run_writes_an_assessed_run_directory_and_resume_of_it_is_refused(tmp_path, capsys):
    out = tmp_path / "run"
    code, stdout, err = cli([*TINY, "--out", out, "--quiet", "--set", "sensor_cost=0.5"], capsys)
    assert (code, stdout, err) == (0, "", "")
    run = RunResult.load(out)
    assert run.assessment is not None and len(run.log) == 2
    assert run.scenario == scenarios.get("aurora", sensor_cost=0.5)
    assert (out / "divergence.png").is_file()
    code, _, err = cli(["--resume", out], capsys)
    assert code == 2 and "finished run" in err and err.count("\n") == 1
    code, _, err = cli(["--resume", out, "--seed", "3", "--set", "sensor_cost=1"], capsys)
    assert code == 2 and "--seed" in err and "--set" in err and err.count("\n") == 1


def test_shortest_paths_runs_the_scenario_without_routes_around_harm_and_names_its_directory(
        tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    code, stdout, err = cli([*TINY, "--quiet", "--shortest-paths"], capsys)
    assert (code, stdout, err) == (0, "", "")
    [run_dir] = list((tmp_path / "runs").iterdir())
    assert "avoid_harm=False" in run_dir.name
    run = RunResult.load(run_dir)
    assert run.scenario.avoid_harm is False and scenarios.get("aurora").avoid_harm is True
    code, _, err = cli(["--resume", run_dir, "--shortest-paths"], capsys)
    assert code == 2 and "--shortest-paths" in err and err.count("\n") == 1


def test_the_module_entry_point_exits_two_with_one_line():
    proc = subprocess.run([sys.executable, "-m", "scenarios.aurora", "--set", "banner_reliability"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith(PROG), proc.stderr


@pytest.mark.parametrize("optimizer, option, column", [("cmaes", "step=0.5", "step_size"),
                                                       ("es", "noise=1", "grad_norm")])
def test_a_tiny_run_with_another_optimizer_and_its_option_records_both_and_names_its_directory(
        optimizer, option, column, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    code, stdout, err = cli([*TINY, "--quiet", "--optimizer", optimizer, "--optimizer-option", option], capsys)
    assert (code, stdout, err) == (0, "", "")
    [run_dir] = list((tmp_path / "runs").iterdir())
    key, value = option.split("=")
    assert f"optimizer={optimizer}" in run_dir.name and f"{optimizer}.{key}={value}" in run_dir.name
    run = RunResult.load(run_dir)
    assert run.config.optimizer == optimizer and run.config.optimizer_options[key] == float(value)
    assert column in run.log.columns
    code, _, err = cli(["--resume", run_dir, "--optimizer", "ga", "--optimizer-option", "swap=0.1"], capsys)
    assert code == 2 and "--optimizer," in err and "--optimizer-option" in err and err.count("\n") == 1


def test_the_summary_leads_with_what_the_labels_rest_on_and_prints_the_labels_of_assess(tmp_path, capsys):
    out = tmp_path / "run"
    code, stdout, _ = cli([*TINY, "--out", out], capsys)
    assert code == 0
    run = RunResult.load(out)
    header = stdout.splitlines()[0]
    order = [header.index(h) for h in ("% of oracle", "decision agreement", "capability retained", "goal retained",
                                       "agreement (pop. mean)")]
    assert order == sorted(order)  # the headline measures first, Pearson agreement last
    train = stdout.splitlines()[2].split()
    decision = run.assessment.groupby("distribution")["decision_agreement"].mean()["train"]
    assert train[0] == "train" and float(train[4]) == pytest.approx(decision, abs=0.005)
    labels = run.assessment.drop_duplicates("organism")["label"].value_counts(normalize=True)
    expected = "labels: " + ", ".join(f"{label} {share:.0%}" for label, share in labels.items())
    assert expected in stdout.splitlines()
    summary = json.loads((out / "summary.json").read_text())["assessment"]["train"]
    assert list(summary) == list(run.scenario.summary_columns)  # what the scenario's assessment declares
    assert summary["decision_agreement"] == pytest.approx(decision)
