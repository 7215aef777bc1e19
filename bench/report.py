"""Turn var/bench/results.json into docs/performance.md and print the ratio table.

python bench/report.py [var/bench/results.json] [docs/performance.md]
"""

import json
import sys
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
# The light lists Datasette can answer too: target 1 compares them on the same rows.
LIGHT = (
    "api_list_country",
    "api_list_in_force",
    "api_list_applicable",
    "api_list_subject",
    "api_list_sparse",
    "api_keyset_deep",
)
ENDPOINT_LABELS = {
    "api_list_country": "API light list by country (agreements?country=DE)",
    "api_list_in_force": "API light list in force on a date (instruments?in_force_on=2020-01-01)",
    "api_list_applicable": "API light list applicable on a date (instruments?applicable_on=2020-01-01)",
    "api_list_subject": "API light list by subject (instruments?subject=exit-readmission)",
    "api_list_sparse": "API sparse fieldset (instruments?jurisdiction=eu&fields=id,title_en,kind,jurisdiction,date_adopted)",
    "api_keyset_deep": "API keyset page four fifths into the list (instruments?cursor=…)",
    "api_search": "API full-text search (q=readmission)",
    "api_facets": "API facet counts (kind, jurisdiction, status)",
    "api_changes": "API changes feed (changes?since=2000-01-01T00:00:00Z)",
    "api_compare": "API comparison matrix (compare?on=2020-01-01)",
    "api_detail": "API detail (one instrument)",
    "html_list": "HTML list page (/en/instruments/)",
    "html_detail": "HTML detail page (/en/instruments/<id>/)",
    "html_compare": "HTML comparison page (/en/compare/?on=2020-01-01)",
    "html_home": "HTML home page (/en/: the counts and the next events)",
    "html_country": "HTML country page (/en/countries/DE/: its agreements and the instruments that bind it)",
    "html_sources": "HTML sources page (/en/sources/: every source with the instruments it supports)",
    "html_timeline": "HTML timeline (/en/timeline/)",
    "feed_changes": "Atom feed of changes (/en/feeds/changes/)",
    "precomputed_json": "precomputed JSON body",
}
QUERY_BUDGET = 6


def index(results):
    runs = {}
    for row in results["runs"]:
        runs[(row["database"], row["size"], row["target"], row["endpoint"])] = row
    return runs


def fmt(value, digits=1):
    return "—" if value is None else f"{value:,.{digits}f}"


def ratio(a, b):
    if not a or not b or not b["rps"]:
        return None
    return a["rps"] / b["rps"]


def verdict(ok):
    return "—" if ok is None else ("**met**" if ok else "**not met**")


def datasette_run(runs, size, endpoint, target):
    return runs.get(("sqlite export", size, target, endpoint))


def ratio_rows(results, runs):
    """(database, size, endpoint, ours rps, cached rps, ceiling rps, ds default rps, ds off rps, ratios…)."""
    rows = []
    for vendor in results["config"]["databases"]:
        for size in results["config"]["sizes"]:
            ceiling = runs.get((vendor, size, "ceiling", "precomputed_json"))
            for endpoint in ENDPOINT_LABELS:
                if endpoint == "precomputed_json":
                    continue
                ours = runs.get((vendor, size, "kzmigration", endpoint))
                cached = runs.get((vendor, size, "kzmigration cached", endpoint))
                if not ours and not cached:
                    continue
                ds_default = datasette_run(runs, size, endpoint, "datasette default")
                ds_off = datasette_run(runs, size, endpoint, "datasette facets off")
                rows.append(
                    {
                        "database": vendor,
                        "size": size,
                        "endpoint": endpoint,
                        "ours": ours,
                        "cached": cached,
                        "ceiling": ceiling,
                        "ds_default": ds_default,
                        "ds_off": ds_off,
                        "ours_ceiling": ratio(ours, ceiling),
                        "cached_ceiling": ratio(cached, ceiling),
                        "ours_ds_default": ratio(ours, ds_default),
                        "ours_ds_off": ratio(ours, ds_off),
                    }
                )
    return rows


def print_table(rows):
    header = (
        f"{'db':<10} {'size':>7} {'endpoint':<18} {'ours':>8} {'cached':>8} {'ceiling':>8} "
        f"{'ds':>7} {'ds off':>7} {'o/ceil':>7} {'c/ceil':>7} {'o/ds':>6} {'o/dsoff':>7}"
    )
    print(header)
    print("-" * len(header))
    for r in rows:
        rps = lambda run: fmt(run["rps"] if run else None, 0)  # noqa: E731
        print(
            f"{r['database']:<10} {r['size']:>7} {r['endpoint']:<18} {rps(r['ours']):>8} {rps(r['cached']):>8} "
            f"{rps(r['ceiling']):>8} {rps(r['ds_default']):>7} {rps(r['ds_off']):>7} "
            f"{fmt(r['ours_ceiling'], 2):>7} {fmt(r['cached_ceiling'], 2):>7} "
            f"{fmt(r['ours_ds_default'], 1):>6} {fmt(r['ours_ds_off'], 1):>7}"
        )


def shape_cell(results, size, endpoint):
    """A PostgreSQL response's items on the page (a JSON list) or its size (anything else)."""
    shape = results.get("shapes", {}).get("postgresql", {}).get(str(size), {}).get(endpoint)
    if not shape or "bytes" not in shape:
        return "–"
    if shape["items"] is not None:
        return f"{shape['items']} item{'' if shape['items'] == 1 else 's'}"
    return f"{shape['bytes'] / 1000:.0f} KB"


def p95_cell(run):
    if not run:
        return "—"
    return fmt(run["p95_ms"]) if run["requests"] else "none completed in the run"


def targets(results, runs, rows):
    """Every target of the issue with its measured figures and a verdict."""
    lines = ["### 1. Uncached light lists: ≥ 2× Datasette (suggest_facets off), same query, rows and columns\n"]
    lines.append(
        "| database | instruments | query | ours req/s | Datasette (facets off) req/s | ours / Datasette | "
        "Datasette default req/s | verdict |"
    )
    lines.append("|---|---:|---|---:|---:|---:|---:|---|")
    for r in rows:
        if r["endpoint"] not in LIGHT:
            continue
        ok = None if r["ours_ds_off"] is None else r["ours_ds_off"] >= 2
        lines.append(
            f"| {r['database']} | {r['size']:,} | {r['endpoint']} | {fmt(r['ours'] and r['ours']['rps'])} | "
            f"{fmt(r['ds_off'] and r['ds_off']['rps'])} | {fmt(r['ours_ds_off'], 1)} | "
            f"{fmt(r['ds_default'] and r['ds_default']['rps'])} | {verdict(ok)} |"
        )

    lines.append("\n### 2. Cached responses: ≥ 0.8× the framework ceiling, every endpoint\n")
    lines.append("| database | instruments | endpoint | cached req/s | ceiling req/s | cached / ceiling | verdict |")
    lines.append("|---|---:|---|---:|---:|---:|---|")
    for r in rows:
        if r["cached_ceiling"] is None:
            continue
        lines.append(
            f"| {r['database']} | {r['size']:,} | {r['endpoint']} | {fmt(r['cached']['rps'])} | "
            f"{fmt(r['ceiling']['rps'])} | {fmt(r['cached_ceiling'], 2)} | "
            f"{verdict(r['cached_ceiling'] >= 0.8)} |"
        )

    sizes = sorted(results["config"]["sizes"])
    small = 1000 if 1000 in sizes else (sizes[0] if sizes else 1000)
    lines.append(
        "\n### 3. PostgreSQL, uncached p95: ≤ 50 ms at 10,000 instruments, ≤ 100 ms at 100,000, "
        f"and p95 at 100,000 ≤ 2× p95 at {small:,}\n"
    )
    lines.append(
        f"| endpoint | p95 at {small:,} (ms) | p95 at 10,000 (ms) | ≤ 50 ms | p95 at 100,000 (ms) | ≤ 100 ms | "
        "100,000 / small | ≤ 2× | response at small → 100,000 |"
    )
    lines.append("|---|---:|---:|---|---:|---|---:|---|---|")
    for endpoint in ENDPOINT_LABELS:
        if endpoint == "precomputed_json":
            continue
        at = {size: runs.get(("postgresql", size, "kzmigration", endpoint)) for size in (small, 10000, 100000)}
        if not any(at.values()):
            continue

        def within(run, bound):
            return None if not run else bool(run["requests"]) and run["p95_ms"] <= bound

        low, large = at[small], at[100000]
        growth = large["p95_ms"] / low["p95_ms"] if low and large and low["requests"] and large["requests"] else None
        lines.append(
            f"| {endpoint} | {p95_cell(low)} | {p95_cell(at[10000])} | {verdict(within(at[10000], 50))} | "
            f"{p95_cell(large)} | {verdict(within(large, 100))} | {fmt(growth, 2)} | "
            f"{verdict(growth <= 2 if growth is not None else None)} | "
            f"{shape_cell(results, small, endpoint)} → {shape_cell(results, 100000, endpoint)} |"
        )
    if 10000 not in sizes or 100000 not in sizes:
        lines.append("\n(This run did not include 10,000 and 100,000 instruments: target 3 was measured in part.)")

    lines.append(f"\n### 4. At most {QUERY_BUDGET} SQL queries for any list, detail, compare and changes response\n")
    lines.append(
        "Counted with Django's test client under `CaptureQueriesContext` on the benchmark data (a cache "
        "miss; a cached response runs none). The test suite asserts the same budget for page sizes 1 "
        "and 200 (`tests/test_query_budget.py`), and the comparison's 5 whatever its rows "
        "(`tests/compare/test_compare.py`). Each URL is asked twice and the second counted: the "
        "comparison's records are kept per data version, so a repeated comparison runs none.\n"
    )
    vendors = [v for v in results["config"]["databases"] if v in results["queries"]]
    columns = [(v, s) for v in vendors for s in sizes if str(s) in results["queries"].get(v, {})]
    lines.append("| endpoint | " + " | ".join(f"{v} {s:,}" for v, s in columns) + " | verdict |")
    lines.append("|---|" + "---:|" * len(columns) + "---|")
    for endpoint in ENDPOINT_LABELS:
        counts = [results["queries"][v][str(s)].get(endpoint) for v, s in columns]
        values = [c["queries"] for c in counts if c]
        if not values:
            continue
        statuses = {c["status"] for c in counts if c}
        ok = all(q <= QUERY_BUDGET for q in values) and statuses <= {200}
        cells = " | ".join(
            f"{c['queries']}" + ("" if c["status"] == 200 else f" (HTTP {c['status']})") if c else "—" for c in counts
        )
        lines.append(f"| {endpoint} | {cells} | {verdict(ok)} |")

    lines.append("\n### 5. After an edit of one record, the cached share of a mixed workload is back above 90 %\n")
    lines.append(
        "Asserted by the test suite, not by this run: `tests/test_record_pages_cache.py` replays a "
        "workload of 309 URLs (every record page and API detail in three languages, the lists) after one "
        "edit in the admin; exactly the 13 responses that show the edited record miss, 95.8 % are served "
        "from the cache in that first pass."
    )

    lines.append("\n### 6. `load_kb` of the real data < 10 s; `check_data` of 10,000 record files < 60 s\n")
    loads = results.get("load_kb_seconds", {})
    for vendor, seconds in loads.items():
        lines.append(
            f"- `load_kb` on {vendor} (a fresh, migrated database; Django's start-up included): "
            f"{fmt(seconds)} s — {verdict(seconds is not None and seconds < 10)}"
        )
    validation = results.get("validation")
    if validation:
        lines.append(
            f"- `check_data` of {validation['record_files']:,} record files (bench/validate_files.py): "
            f"{fmt(validation['seconds'])} s, {'passed' if validation['passed'] else 'FAILED'} — "
            f"{verdict(validation['passed'] and validation['seconds'] < 60)}"
        )
    return "\n".join(lines)


def all_figures(results):
    lines = [
        "| database | instruments | target | endpoint | req/s | p50 ms | p95 ms | p99 ms | errors | load avg before |",
        "|---|---:|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in results["runs"]:
        errors = sum(row["errors"].values())
        if not row["requests"]:
            latencies = "no request completed | — | —"
        else:
            latencies = f"{fmt(row['p50_ms'])} | {fmt(row['p95_ms'])} | {fmt(row['p99_ms'])}"
        lines.append(
            f"| {row['database']} | {row['size']:,} | {row['target']} | {row['endpoint']} | "
            f"{fmt(row['rps'])} | {latencies} | {errors} | {row['loadavg_1min_before']} |"
        )
    return "\n".join(lines)


def equivalence_table(results):
    rows = [
        "| instruments | query | "
        + " | ".join(f"ours ({v})" for v in results["config"]["databases"])
        + " | Datasette | same |",
        "|---:|---|" + "---:|" * len(results["config"]["databases"]) + "---:|---|",
    ]
    for size, queries in sorted(results.get("equivalence", {}).items(), key=lambda item: int(item[0])):
        for name, counts in queries.items():
            ours = [counts.get(v) for v in results["config"]["databases"]]
            values = {c for c in ours + [counts.get("datasette")] if c is not None}
            same = "yes" if len(values) == 1 else "**no**"
            rows.append(
                f"| {int(size):,} | {name} | "
                + " | ".join("—" if c is None else str(c) for c in ours)
                + f" | {counts.get('datasette', '—')} | {same} |"
            )
    return "\n".join(rows)


def data_table(results):
    lines = [
        "| database | instruments (synthetic) | agreements | parties | relationships | provenance rows | "
        "subject links | database size | generation time |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for vendor, sizes in results["data"].items():
        for size, c in sizes.items():
            seconds = results["generation_seconds"].get(vendor, {}).get(size)
            lines.append(
                f"| {vendor} | {c['instruments']:,} ({c['synthetic_instruments']:,}) | {c['agreements']:,} | "
                f"{c['parties']:,} | {c['relationships']:,} | {c['provenance']:,} | {c['subject_links']:,} | "
                f"{c['database_bytes'] / 1024 / 1024:,.0f} MiB | {fmt(seconds, 0)} s |"
            )
    return "\n".join(lines)


def render(results, preamble):
    runs = index(results)
    rows = ratio_rows(results, runs)
    m = results["machine"]
    c = results["config"]
    ratio_lines = [
        "| database | instruments | endpoint | ours req/s | cached req/s | ceiling req/s | "
        "Datasette req/s | Datasette facets off req/s | ours / ceiling | cached / ceiling | "
        "ours / Datasette | ours / Datasette facets off |",
        "|---|---:|---|" + "---:|" * 9,
    ]
    for r in rows:
        rps = lambda run: fmt(run["rps"] if run else None, 1)  # noqa: E731
        ratio_lines.append(
            f"| {r['database']} | {r['size']:,} | {r['endpoint']} | {rps(r['ours'])} | {rps(r['cached'])} | "
            f"{rps(r['ceiling'])} | {rps(r['ds_default'])} | {rps(r['ds_off'])} | {fmt(r['ours_ceiling'], 2)} | "
            f"{fmt(r['cached_ceiling'], 2)} | {fmt(r['ours_ds_default'], 1)} | {fmt(r['ours_ds_off'], 1)} |"
        )
    skipped = (
        "\n".join(
            f"- {s['database']} {s['size']:,} {s['target']} {s['endpoint']}: {s['reason']}" for s in results["skipped"]
        )
        or "- nothing: every planned measurement ran."
    )
    notes = "\n".join(f"- {n}" for n in results["notes"]) or "- none"
    return f"""{preamble}
## This run

- Started {results["started_utc"]}, finished {results.get("finished_utc", "(unfinished)")}, {results.get("minutes", "?")} minutes.
- Machine: {m["nproc"]} CPU cores ({m["cpu_model"]}), {m["ram_gib"]} GiB RAM; {m["os"]}.
  Load average at start {", ".join(f"{x:.2f}" for x in m["loadavg_at_start"])}, at end
  {", ".join(f"{x:.2f}" for x in m.get("loadavg_at_end", [0, 0, 0]))} (each run below records the 1-minute load
  average just before it: above ~1, other work was competing for the 2 cores).
- Software: Python {m["python"]}, Django {m["django"]}, SQLite {m["sqlite"]}, PostgreSQL {m["postgresql"]},
  {m["gunicorn"]}, {m["wrk"]}, {m["datasette"]}.
- Load: `wrk -t1 -c{c["connections"]} -d{c["duration"]}` (cached responses: `-d{c.get("cached_duration", c["duration"])}`) after a warm-up, against gunicorn with
  {c["gunicorn_workers"]} sync workers (the same for the project and the ceiling), one URL at a time.
  Response cache: {c["cache"]}. Page size {c["page_size"]}; `in_force_on={c["in_force_on"]}`;
  `country={c["country"]}`; `q={c["search_word"]}`; seed {c["seed"]}; agreements = instruments × {c["agreements_per_instrument"]}.

### Data

{data_table(results)}

### Same rows on both sides

Rows matching each compared query, as reported by our API (`count`) on each database and by
Datasette (`filtered_table_rows_count`) on the SQLite export of the same data:

{equivalence_table(results)}

### Ratios (requests per second)

{ratio_lines[0]}
{chr(10).join(ratio_lines[1:])}

## Targets

{targets(results, runs, rows)}

## Every measurement

{all_figures(results)}

### Not measured in this run

{skipped}

### Notes

{notes}
"""


def main():
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else BASE / "var" / "bench" / "results.json"
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else BASE / "docs" / "performance.md"
    results = json.loads(source.read_text())
    preamble_file = BASE / "bench" / "performance_preamble.md"
    preamble = preamble_file.read_text() if preamble_file.exists() else "# Performance\n"
    notes_file = BASE / "bench" / "performance_notes.md"
    notes = notes_file.read_text() if notes_file.exists() else ""
    print_table(ratio_rows(results, index(results)))
    target.write_text(render(results, preamble) + ("\n" + notes if notes else ""))
    print(f"\nwrote {target}")


if __name__ == "__main__":
    main()
