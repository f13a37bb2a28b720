"""The Markdown of ``report.md``, section by section, from the figures of ``report.json``.

Also the two ways an interval is printed, here and in the terminal: ``interval`` for a
figure and ``signed`` for a paired difference, which says in words whether 0 is inside.
"""

from __future__ import annotations

from service.vocab import ACTS, PROMOTION

from .predictions import group_name

REGISTER_COLUMNS = ("act_macro_f1", "promotion_f1", "promotion_recall", "health_spearman",
                    "health_level_accuracy", "flag_micro_f1")


def interval(entry: dict | None) -> str:
    """``0.893 [0.861, 0.921]``, or ``–`` when there is no figure."""
    if not entry or entry["value"] is None:
        return "–"
    if entry["low"] is None:
        return f"{entry['value']:.3f}"
    return f"{entry['value']:.3f} [{entry['low']:.3f}, {entry['high']:.3f}]"


def _bound(x: float) -> str:
    """A bound of a difference: ``0`` when it is zero, four decimals when three would
    print a non-zero bound as ``+0.000``."""
    if x == 0:
        return "0"
    return f"{x:+.4f}" if abs(x) < 0.0005 else f"{x:+.3f}"


def excludes_zero(entry: dict) -> bool:
    """Whether a paired difference's interval leaves 0 out."""
    return entry["low"] is not None and (entry["low"] > 0 or entry["high"] < 0)


def signed(entry: dict | None) -> str:
    """``+0.028 [-0.009, +0.077] includes 0`` or ``+0.078 [+0.016, +0.160] excludes 0``."""
    if not entry or entry["value"] is None:
        return "–"
    text = f"{entry['value']:+.3f}"
    if entry["low"] is None:
        return text
    verdict = "excludes 0" if excludes_zero(entry) else "includes 0"
    return f"{text} [{_bound(entry['low'])}, {_bound(entry['high'])}] {verdict}"


def _cell(text: str) -> str:
    """A comment's text made safe inside a Markdown table cell."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;")


def metrics_table(result: dict, names: tuple[str, ...], which: str = "model") -> list[str]:
    """One row per metric, one column per group (language)."""
    keys = list(result)
    lines = ["| metric | " + " | ".join(f"{group_name(k)} ({result[k]['threads']} threads, "
                                         f"{result[k]['comments']} comments)"
                                         for k in keys) + " |",
             "|---|" + "---|" * len(keys)]
    for name in names:
        if any(name in result[k]["metrics"] for k in keys):
            lines.append(f"| {name} | " + " | ".join(
                interval(result[k]["metrics"].get(name, {}).get(which)) for k in keys) + " |")
    return lines


def register_table(result: dict) -> list[str]:
    """One row per register, a few key metrics as columns."""
    lines = ["| register | threads | comments | " + " | ".join(REGISTER_COLUMNS) + " |",
             "|---|---|---|" + "---|" * len(REGISTER_COLUMNS)]
    for name, block in result.items():
        cells = [interval(block["metrics"].get(m, {}).get("model")) for m in REGISTER_COLUMNS]
        lines.append(f"| {name} | {block['threads']} | {block['comments']} | "
                     + " | ".join(cells) + " |")
    return lines


def file_rows(meta: dict) -> list[tuple[str, str]]:
    """The report rows naming the model files by their SHA-256."""
    rows = [(f"{name} SHA-256", f"`{digest}`")
            for name, digest in sorted(meta.get("model_files", {}).items())]
    converted = meta.get("converted_from")
    if converted:
        rows.append(("converted from", f"`{converted['file']}` (SHA-256 "
                                       f"`{converted['sha256']}`) on {converted['at']}"))
    return rows


def summary_lines(meta: dict) -> list[str]:
    """The model's identity: version, commit, seed, data, threshold, libraries, checksum."""
    selection = meta.get("threshold_selection", {})
    how = selection.get("how", "fixed (recorded before threshold selection existed)")
    threshold = meta.get("promotion_threshold", meta["config"]["promotion"].get("threshold"))
    training = meta.get("training", {})
    rows = [("model version", f"`{meta['model_version']}`"), ("created", meta["created_at"]),
            ("git commit", f"`{meta.get('git_commit')}`"), ("seed", meta.get("seed")),
            ("trained on", f"{training.get('threads', '?')} threads, "
                           f"{training.get('comments', '?')} comments"),
            ("promotion threshold", f"{threshold} — {how}"),
            ("libraries", ", ".join(f"{k} {v}" for k, v in sorted(meta["libraries"].items()))),
            *file_rows(meta)]
    out = ["| | |", "|---|---|", *(f"| {k} | {v} |" for k, v in rows), "", "Data files:", ""]
    out += [f"- `{path}` — SHA-256 `{digest}`" for path, digest in sorted(meta["data"].items())]
    return out


def comparison_lines(comparison: dict, model_version: str, source: str) -> list[str]:
    """The candidate beside the production model, per group, with paired differences."""
    base = comparison["baseline_version"]
    bundle = "" if comparison["baseline"] == base else f" (bundle `{comparison['baseline']}`)"
    out = ["## Compared with the model in production", "",
           f"`{model_version}` (this bundle) beside `{base}`{bundle}, both measured on "
           f"{source}. The bootstrap draws the same threads for both, so each difference has "
           "its own paired 95% interval; a difference whose interval includes 0 is not shown "
           "to be one.", ""]
    for key, block in comparison["metrics"].items():
        out += [f"{group_name(key)} ({block['threads']} threads, {block['comments']} comments):",
                "", f"| metric | {model_version} | {base} | difference |", "|---|---|---|---|"]
        for name, entry in block["metrics"].items():
            out.append(f"| {name} | {interval(entry['model'])} | "
                       f"{interval(entry.get('baseline'))} | {signed(entry.get('difference'))} |")
        out.append("")
    return out


def calibration_lines(figures: dict, plot: str) -> list[str]:
    """ECE and Brier per language and axis, then the comments per bin."""
    out = ["## Calibration", "",
           "ECE: the comment-weighted mean gap between predicted probability and observed "
           "share over ten equal bins; Brier: mean squared error of the probabilities (for the "
           "act, summed over the three acts, from 0 to 2, as scikit-learn computes it). Lower "
           "is better for both. For the act, the probability is that of the predicted act and "
           "the observed share is how often it was right.", "",
           "| language | axis | comments | ECE | Brier |", "|---|---|---|---|---|"]
    for lang, axes in figures.items():
        for axis, f in axes.items():
            out.append(f"| {group_name(lang)} | {axis} | {f['comments']} | {f['ece']:.4f} | "
                       f"{f['brier']:.4f} |")
    for lang, axes in figures.items():
        for axis, f in axes.items():
            out += ["", f"{group_name(lang)}, {axis}: comments per bin", "",
                    "| bin | comments | mean predicted | observed |", "|---|---|---|---|"]
            for b in f["bins"]:
                edge = "[" if b["low"] == 0 else "("
                mean = "–" if b["mean_predicted"] is None else f"{b['mean_predicted']:.3f}"
                seen = "–" if b["observed"] is None else f"{b['observed']:.3f}"
                out.append(f"| {edge}{b['low']:.1f}, {b['high']:.1f}] | {b['count']} | {mean} | "
                           f"{seen} |")
    return [*out, "", f"![reliability]({plot})", ""]


def curve_lines(curves: dict, threshold: float, pr_png: str | None,
                cut_png: str | None) -> list[str]:
    """Precision, recall and F1 of self-promotion at the chosen threshold and around it."""
    out = ["## The promotion threshold: precision–recall and threshold curves", "",
           f"A comment is labelled self_promotion when P(self_promotion) ≥ {threshold} (bold "
           "row); the other rows show what another threshold would trade.", ""]
    for lang, c in curves.items():
        out += [f"{group_name(lang)} (average precision {c['average_precision']:.3f}):", "",
                "| threshold | precision | recall | F1 | labelled self_promotion |",
                "|---|---|---|---|---|"]
        for row in c["cuts"]:
            cells = [str(row["threshold"]), f"{row['precision']:.3f}", f"{row['recall']:.3f}",
                     f"{row['f1']:.3f}", f"{row['labelled_self_promotion']:.3f}"]
            if row["threshold"] == c["chosen"]["threshold"]:
                cells = [f"**{x}**" for x in cells]
            out.append("| " + " | ".join(cells) + " |")
        out.append("")
    out += [f"![precision–recall]({pr_png})" if pr_png else "",
            f"![threshold curves]({cut_png})" if cut_png else "", ""]
    return out


def error_lines(errors: dict, with_text: bool) -> list[str]:
    """The most confident errors, a table per axis and labelled class."""
    out = ["## Most confident errors", "",
           "Per labelled class, the comments the model put elsewhere, most confident first "
           "(probability of its wrong label)"
           + ("." if with_text else "; ids only: this data is blind, its texts are not "
                                    "shown."), ""]
    for axis, labels in (("act", ACTS), ("promotion", PROMOTION)):
        for gold in labels:
            found = errors[axis][gold]
            out += [f"### {axis}: labelled {gold} ({len(found)} shown)", ""]
            if not found:
                out += ["None.", ""]
                continue
            head = "| thread | comment | language | predicted | probability |"
            out += [head + (" text |" if with_text else ""),
                    "|---|---|---|---|---|" + ("---|" if with_text else "")]
            for e in found:
                row = (f"| {_cell(e['thread'])} | {_cell(e['comment'])} | {e['language']} | "
                       f"{e['predicted']} | {e['probability']:.3f} |")
                out.append(row + (f" {_cell(e['text'])} |" if with_text else ""))
            out.append("")
    return out
