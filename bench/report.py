"""Recorded results: one JSON file and its plots per run, and a summary of every run.

``bench/results/<date>-<name>.json`` holds the machine, the versions, every figure and every
target; ``<date>-<name>-*.png`` its plots; ``bench/results/README.md`` shows the latest run
and a line per earlier run (older files are never removed).
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
ROOT = RESULTS.parent.parent
PACKAGES = ("spacy", "scikit-learn", "numpy", "scipy", "langdetect", "lingua-language-detector",
            "flask", "gunicorn", "sqlalchemy")


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError:
        return ""


def _git(*args: str) -> str:
    try:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True,
                              check=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def machine() -> dict:
    """CPU, cores, memory, load, Python and package versions, git commit, date."""
    cpu = next((line.split(":", 1)[1].strip() for line in _read("/proc/cpuinfo").splitlines()
                if line.startswith("model name")), platform.processor())
    mem_kb = next((int(line.split()[1]) for line in _read("/proc/meminfo").splitlines()
                   if line.startswith("MemTotal")), 0)
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "cpu": cpu, "cores": os.cpu_count(), "ram_gb": round(mem_kb / 2**20, 1),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "os": platform.platform(), "python": platform.python_version(),
        "packages": versions,
        "git_commit": _git("rev-parse", "--short", "HEAD"),
        "git_dirty": bool(_git("status", "--porcelain", "--untracked-files=no")),
    }


def run_stem(name: str | None, info: dict) -> str:
    """``<date>-<name>``; the default name is the time and commit, so runs never collide."""
    date, time_of_day = info["date"][:10], info["date"][11:19].replace(":", "")
    return f"{date}-{name or time_of_day + '-' + (info['git_commit'] or 'nogit')}"


def _save(fig, path: Path) -> Path:
    """Write the figure as PNG and free it (pyplot keeps every open figure alive)."""
    import matplotlib.pyplot as plt

    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def plot_throughput(results: dict, path: Path) -> Path | None:
    batch = results["parts"].get("batch")
    if not batch:
        return None
    import matplotlib.pyplot as plt

    labels, values = [], []
    for workers, figures in sorted(batch["cli"].items()):
        labels.append(f"analyze\n--workers {workers}")
        values.append(figures["comments_per_s"])
    labels.append("spaCy tokenizer\nalone (1 core)")
    values.append(batch["tokenizer"]["comments_per_s"])
    fig, ax = plt.subplots(figsize=(6.5, 4))
    bars = ax.bar(labels, values, color=["#4c72b0"] * (len(values) - 1) + ["#999999"])
    ax.bar_label(bars, fmt="%d")
    ax.axhline(1500, color="#c44e52", linestyle="--", label="target, --workers 2: 1,500/s")
    ax.set_yscale("log")
    ax.set_ylabel("comments per second (log scale)")
    ax.set_title(f"Batch throughput, {batch['comments']:,} comments in "
                 f"{batch['threads']:,} threads")
    ax.legend(loc="upper left")
    return _save(fig, path)


def plot_scale(results: dict, path: Path) -> Path | None:
    scale = results["parts"].get("scale")
    if not scale:
        return None
    import matplotlib.pyplot as plt

    sizes = [r["size"] for r in scale["rows"]]
    seconds = [r["seconds"] for r in scale["rows"]]
    intercept, slope = scale["fit"]["intercept_s"], scale["fit"]["ms_per_comment"] / 1e3
    grid = [sizes[0] * (sizes[-1] / sizes[0]) ** (k / 50) for k in range(51)]
    fig, ax = plt.subplots(figsize=(6.5, 4))
    ax.loglog(sizes, seconds, "o", color="#4c72b0", label="measured")
    ax.loglog(grid, [max(intercept + slope * n, 1e-4) for n in grid], "-", color="#55a868",
              label=f"fit: {1e3 * intercept:.1f} ms + {scale['fit']['ms_per_comment']:.2f} "
                    "ms/comment")
    ax.axhline(5, color="#c44e52", linestyle="--", label="target at 5,000 comments: 5 s")
    ax.set_xlabel("comments in the thread")
    ax.set_ylabel("seconds for Engine.analyze_thread")
    ax.set_title(f"Time vs thread size (log-log slope {scale['fit']['loglog_slope']})")
    ax.legend()
    return _save(fig, path)


def plot_http(results: dict, path: Path) -> Path | None:
    http = results["parts"].get("http")
    if not http:
        return None
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(9, 3.8))
    for ax, endpoint in zip(axes, ("comment", "thread"), strict=True):
        rows = http[endpoint]
        x = [str(r["connections"]) for r in rows]
        ax.bar(x, [r["req_per_s"] for r in rows], color="#4c72b0")
        ax.set_xlabel("connections")
        ax.set_ylabel("requests per second")
        twin = ax.twinx()
        for q, style in (("p50", "o-"), ("p99", "s--")):
            twin.plot(x, [r[f"{q}_ms"] for r in rows], style, color="#c44e52", label=q)
        twin.set_ylabel("latency, ms")
        twin.legend(loc="upper left")
        ax.set_title(f"/v1/analyze/{endpoint}")
    return _save(fig, path)


def save(results: dict, name: str | None = None) -> Path:
    """Write the run's JSON and plots, then rewrite the summary; the JSON path."""
    import matplotlib

    matplotlib.use("Agg")
    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = run_stem(name, results["machine"])
    plots = {}
    for kind, draw in (("throughput", plot_throughput), ("scale", plot_scale),
                       ("http", plot_http)):
        if draw(results, RESULTS / f"{stem}-{kind}.png"):
            plots[kind] = f"{stem}-{kind}.png"
    results["plots"] = plots
    path = RESULTS / f"{stem}.json"
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    write_summary()
    return path


def _runs() -> list[tuple[str, dict]]:
    runs = []
    for path in sorted(RESULTS.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if "machine" in data and "parts" in data:
            runs.append((path.stem, data))
    return sorted(runs, key=lambda run: run[1]["machine"]["date"])


def _history_row(stem: str, data: dict) -> str:
    parts = data["parts"]
    cli = parts.get("batch", {}).get("cli", {})
    scale = parts.get("scale", {})
    targets = data["targets"]
    passed = sum(t["passed"] for t in targets)
    return (f"| [{stem}]({stem}.json) | {data['machine']['git_commit']} | "
            f"{cli.get('2', {}).get('comments_per_s', '–')} | "
            f"{scale.get('largest_seconds', '–')} | "
            f"{cli.get('1', {}).get('peak_rss_mb', '–')} | {passed}/{len(targets)} |")


def write_summary() -> Path:
    """``bench/results/README.md``: the latest run in full, then every run in a line."""
    runs = _runs()
    lines = ["# Benchmark results", "",
             "Written by `make bench` (`python -m bench`); see `bench/README.md` for what each "
             "part measures. Do not edit by hand.", ""]
    if not runs:
        path = RESULTS / "README.md"
        path.write_text("\n".join([*lines, "No run yet.", ""]), encoding="utf-8")
        return path
    stem, latest = runs[-1]
    info = latest["machine"]
    lines += [f"## Latest run: [{stem}]({stem}.json)", "",
              f"{info['date']} · commit {info['git_commit']}"
              f"{' (uncommitted changes)' if info['git_dirty'] else ''} · {info['cpu']}, "
              f"{info['cores']} cores, {info['ram_gb']} GB · Python {info['python']} · "
              f"load average at start {info['load_average']}", "",
              "| target | value | limit | |", "|---|---|---|---|"]
    for t in latest["targets"]:
        unit = f" {t['unit']}" if t["unit"] else ""
        lines.append(f"| {t['name']} | {t['value']}{unit} | {t['op']} {t['limit']}{unit} | "
                     f"{'PASS' if t['passed'] else '**FAIL**'} |")
    lines += ["", *_figures(latest), ""]
    for kind, file in latest.get("plots", {}).items():
        lines += [f"![{kind}]({file})", ""]
    lines += ["## All runs", "",
              "| run | commit | --workers 2, comments/s | 5,000-comment thread, s "
              "| RSS one process, MB | targets passed |", "|---|---|---|---|---|---|"]
    lines += [_history_row(s, d) for s, d in reversed(runs)]
    path = RESULTS / "README.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _figures(data: dict) -> list[str]:
    """A few sentences of context for the targets table."""
    parts, out = data["parts"], []
    if batch := parts.get("batch"):
        load, cli = batch["load"], batch["cli"]
        out.append(f"- Batch: {batch['comments']:,} comments in {batch['threads']:,} threads; "
                   + "; ".join(f"--workers {n}: {r['seconds']} s, {r['comments_per_s']}/s "
                               f"({r['comments_per_s_after_load'] or '–'}/s after loading)"
                               for n, r in sorted(cli.items()))
                   + f". Loading the engine takes {load['process_s']} s per process "
                   f"(imports {load['imports_s']} s, Engine.load {load['engine_load_s']} s).")
        if "comments_per_cpu_s" in cli.get("1", {}):
            out.append(f"- One process: {cli['1']['comments_per_cpu_s']} comments per CPU "
                       "second, start-up included (independent of other load on the machine).")
        ratios = ", ".join(f"{r}× with --workers {n}"
                           for n, r in sorted(batch["floor_ratio"].items()))
        out.append(f"- spaCy tokenizer alone: {batch['tokenizer']['comments_per_s']:,} "
                   f"comments/s on one core; the whole analysis is slower by {ratios}.")
    if scale := parts.get("scale"):
        out.append("- Scale: " + ", ".join(f"{r['size']:,} comments {r['seconds']:.2f} s "
                                           f"(peak RSS {r['peak_rss_mb']} MB)"
                                           for r in scale["rows"])
                   + f"; {scale['fit']['ms_per_comment']} ms per comment fitted.")
    if quality := parts.get("quality"):
        youtube = quality.get("youtube_spam") or {}
        out.append(f"- Quality of model {quality['model_version']} on "
                   f"{quality['test_threads']} test threads"
                   + (f"; YouTube spam: ROC AUC {youtube['roc_auc']}, F1 {youtube['f1']}"
                      if youtube else "; YouTube spam set not found") + ".")
    for name, error in data.get("errors", {}).items():
        out.append(f"- Part `{name}` failed: {error}")
    return out
