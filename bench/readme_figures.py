"""The README's measured-figures tables, in Markdown, from one recorded run (bench/results/*.json).

python bench/readme_figures.py [bench/results/RUN.json]   (default: the newest record)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
KINDS = ("code", "prefix", "word", "phrase", "typo", "as-you-type", "long-procedure", "all")
SETS = {
    "code_lookups": "code lookups (all forms)",
    "lay_terms": "lay and abbreviated diagnosis terms",
    "pcs_procedures": "PCS procedure names",
    "hcpcs_drugs": "HCPCS drug names",
    "pcs_wording": "procedure wording as coders write it (PCS)",
}


def machine_line(record: dict[str, Any], name: str) -> str:
    m = record["machine"]
    load = m.get("load_average_1_5_15")
    after = m.get("load_average_after")
    loads = f"load average {load[0]} at the start, {after[0]} at the end" if load and after else "load not known"
    return (
        f"Run `{name}` ({m['date'][:16].replace('T', ' ')} UTC, commit {m.get('commit') or '?'}): "
        f"{m['cpu']}, {m['cores']} cores, {m.get('memory_gib')} GiB, {m['os']}, Python {m['python']}; {loads}."
    )


def build_row(label: str, step: dict[str, Any] | None) -> str:
    if not step or step.get("exit_code") != 0:
        return f"| {label} | not measured | |"
    parse, write = step.get("parse_seconds"), step.get("write_seconds")
    cache = step.get("search_cache_bytes") or 0
    return (
        f"| {label} | **{step['wall_seconds']:.0f} s** (parse {parse} s, write {write} s, the rest the search cache) "
        f"| {step.get('documents', 0):,} documents, index {step.get('index_bytes', 0) / 1e6:.0f} MB "
        f"+ search cache {cache / 1e6:.0f} MB |"
    )


def latency_table(search: dict[str, Any]) -> list[str]:
    ours, theirs, counts = search["codeatlas_ms"], search["fts5_ms"], search["queries"]
    tantivy = search.get("tantivy_ms")
    if not isinstance(tantivy, dict):  # a reason instead of figures: tantivy (the bench extra) not installed
        tantivy = {}
    lines = [
        "| kind | queries | p50 | p95 | p99 | max | FTS5 p95 | FTS5 max | tantivy p95 | tantivy max |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for kind in KINDS:
        if kind not in ours:
            continue
        n = ours[kind]["n"] if kind == "all" else counts.get(kind, ours[kind]["n"])
        a, b = ours[kind], theirs[kind]
        c = tantivy.get(kind, {})
        name = "**all**" if kind == "all" else kind
        lines.append(
            f"| {name} | {n:,} | {a['p50']} | {a['p95']} | {a['p99']} | {a['max']} | {b['p95']} | {b['max']} "
            f"| {c.get('p95', '-')} | {c.get('max', '-')} |"
        )
    inside = search.get("codeatlas_ms_collecting_inside_queries")
    if isinstance(inside, dict) and "all" in inside:  # runs before this figure timed only that way
        a = inside["all"]
        lines += [
            "",
            f"Garbage collected between queries, as in the app. With the interpreter collecting inside queries "
            f"instead (a fresh engine, the same stream, same run): all p50 {a['p50']}, p95 {a['p95']}, "
            f"p99 {a['p99']}, max {a['max']} ms.",
        ]
    return lines


def relevance_table(relevance: dict[str, Any]) -> list[str]:
    lines = [
        "| set | queries | hit@1 | hit@5 | hit@10 | MRR | table-hit@10 | FTS5 hit@1 | FTS5 hit@5 | FTS5 MRR "
        "| FTS5 table-hit@10 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for key, label in SETS.items():
        entry = relevance["sets"].get(key)
        if entry is None:
            continue
        a, b = entry["codeatlas"], entry["fts5"]
        lines.append(
            f"| {label} | {a['n']} | {a['hit@1']:.3f} | {a['hit@5']:.3f} | {a['hit@10']:.3f} | {a['mrr']:.3f} "
            f"| {_table_hit(a)} | {b['hit@1']:.3f} | {b['hit@5']:.3f} | {b['mrr']:.3f} | {_table_hit(b)} |"
        )
    return lines


def _table_hit(entry: dict[str, Any]) -> str:
    """The right ICD-10-PCS table in the top 10, for the sets labelled with tables."""
    value = entry.get("table-hit@10")
    return f"{value:.3f}" if isinstance(value, float) else ""


def figures(record: dict[str, Any], name: str) -> str:
    steps = record["steps"]
    out = [machine_line(record, name), "", "| build | time | size |", "|---|---:|---|"]
    out.append(build_row("all three code sets", steps.get("build_full")))
    out.append(build_row("ICD-10-CM only (no sources)", steps.get("build_icd10cm_only")))
    search = steps.get("search", {}).get("result")
    if search:
        cold = search["cold_start_ms"]
        out += ["", *latency_table(search), ""]
        out.append(
            f"Cold start in a new process (import, open, first query), median of the runs: "
            f"**{cold['codeatlas']['total_ms']:.0f} ms** (FTS5: {cold['fts5']['total_ms']:.0f} ms)."
        )
    relevance = steps.get("relevance", {}).get("result")
    if relevance and "sets" in relevance:
        out += ["", *relevance_table(relevance)]
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    records = sorted(RESULTS.glob("*.json"))
    path = Path(args[0]) if args else (records[-1] if records else None)
    if path is None:
        print("No recorded run in bench/results/: run python tasks.py bench first.", file=sys.stderr)
        return 1
    path = path.resolve()
    record = json.loads(path.read_text(encoding="utf-8"))
    sys.stdout.write(figures(record, path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.name))
    return 0


if __name__ == "__main__":
    sys.exit(main())
