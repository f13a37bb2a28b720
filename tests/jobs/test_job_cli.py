"""The job commands on the database queue: submit, a worker in burst mode, status,
results equal to ``analyze``, cancel, rescore, and their errors."""

from __future__ import annotations

from service.cli import main
from tests.jobs.conftest import CORPUS


def _ok(runner, *args, **kwargs):
    result = runner.invoke(main, list(args), **kwargs)
    assert result.exit_code == 0, result.output
    return result


def test_submit_work_status_results(runner, tmp_path):
    _ok(runner, "keys", "create", "--platform", "cli-p")
    job_id = _ok(runner, "jobs", "submit", CORPUS, "--platform", "cli-p").stdout.split()[-1]
    queued = _ok(runner, "jobs", "status", job_id).stdout
    assert f"{job_id}: queued, 0 of 28 lines" in queued
    early = runner.invoke(main, ["jobs", "results", job_id])
    assert early.exit_code == 1 and "is queued" in early.output
    _ok(runner, "worker", "--burst")
    assert "done, 28 of 28 lines, 0 errors" in _ok(runner, "jobs", "status", job_id,
                                                   "--wait").stdout
    got = tmp_path / "job.jsonl"
    _ok(runner, "jobs", "results", job_id, "--output", str(got))
    expected = tmp_path / "analyze.jsonl"
    _ok(runner, "analyze", CORPUS, "--output", str(expected))
    assert got.read_bytes() == expected.read_bytes()
    done = runner.invoke(main, ["jobs", "cancel", job_id])
    assert done.exit_code == 1 and "already done" in done.output


def test_cancel_and_rescore_commands(runner):
    _ok(runner, "keys", "create", "--platform", "cli-q")
    job_id = _ok(runner, "jobs", "submit", "-", "--platform", "cli-q",
                 input='{"comments": []}\n').stdout.split()[-1]
    assert f"{job_id}: cancelled" in _ok(runner, "jobs", "cancel", job_id).stdout
    assert "no stored threads" in _ok(runner, "rescore").output


def test_command_errors_name_what_is_wrong(runner):
    unknown = runner.invoke(main, ["jobs", "submit", CORPUS, "--platform", "nobody"])
    assert unknown.exit_code == 2 and "no platform 'nobody'" in unknown.output
    _ok(runner, "keys", "create", "--platform", "cli-r")
    empty = runner.invoke(main, ["jobs", "submit", "-", "--platform", "cli-r"], input="\n")
    assert empty.exit_code == 1 and "no thread" in empty.output
    for command in (["jobs", "status", "job_nope"], ["jobs", "results", "job_nope"],
                    ["jobs", "cancel", "job_nope"]):
        missing = runner.invoke(main, command)
        assert missing.exit_code == 1 and "no job 'job_nope'" in missing.output
    assert runner.invoke(main, ["rescore", "--platform", "nobody"]).exit_code == 2
