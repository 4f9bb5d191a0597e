#!/usr/bin/env python3
"""Turns WORK/results.json (bench.py) and WORK/memory.json (memory.sh) into
bench/RESULTS.md and bench/results.png (gnuplot)."""

import argparse
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

CASES = {
    "a": "(a) many small: 5,000 × 64 KiB",
    "b": "(b) medium: 600 × 1.2 MiB",
    "c": "(c) large: 2 × 1 GiB",
    "d": "(d) no-op re-sync: 50,000 present",
    "e": "(e) 1% change: 500 new on top of (d)",
}
QUICK_CASES = {
    "a": "(a) many small (quick: 500 × 64 KiB)",
    "b": "(b) medium (quick: 60 × 1.2 MiB)",
    "c": "(c) large (quick: 2 × 64 MiB)",
    "d": "(d) no-op re-sync (quick: 5,000 present)",
    "e": "(e) 1% change (quick: 50 new)",
}
CHART_LABELS = {"a": "(a) 5k × 64 KiB", "b": "(b) 600 × 1.2 MiB", "c": "(c) 2 × 1 GiB",
                "d": "(d) no-op, 50k", "e": "(e) +1% of 50k"}
CHART_TOOLS = [("glacier-sync", "glacier-sync"), ("curl", "curl (1 stream)"), ("rclone*", "rclone (best variant)"),
               ("aws", "aws s3 sync"), ("s3cmd", "s3cmd sync")]


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def summarize(runs):
    """{case: {tool: stats}} from the per-run records."""
    out = {}
    for run in runs:
        out.setdefault(run["case"], {}).setdefault(run["tool"], []).append(run)
    stats = {}
    for case, by_tool in out.items():
        stats[case] = {}
        for tool, records in by_tool.items():
            valid = [r for r in records if r["valid"]]
            use = valid or records
            stats[case][tool] = {
                "label": records[0]["label"],
                "n": len(records),
                "valid": len(valid),
                "wall": median([r["wall"] for r in use]),
                "wall_min": min(r["wall"] for r in use),
                "wall_max": max(r["wall"] for r in use),
                "cpu": median([r["cpu"] for r in use]),
                "rss_mb": (median([r["rss_kb"] for r in use]) or 0) / 1024,
                "server_cpu": median([r["server_cpu"] for r in use]),
                "load": median([r["load"] for r in use]),
                "problems": sorted({r["problem"] for r in records if r["problem"]}),
                "notes": sorted({r["note"] for r in records if r.get("note")}),
            }
    return stats


def best_rclone(case_stats, key):
    """The rclone variant with the lowest `key` among valid ones (the strictest comparison)."""
    candidates = [s for t, s in case_stats.items() if t.startswith("rclone") and s["valid"] == s["n"]]
    if not candidates:
        return None
    return min(candidates, key=lambda s: s[key])


def fmt(value, digits=2):
    return "–" if value is None else f"{value:.{digits}f}"


def targets(stats):
    """[(case, target text, measured text, met: bool|None)]."""
    rows = []

    def g(case):
        s = stats.get(case, {}).get("glacier-sync")
        return s if s and s["valid"] == s["n"] else None

    def ratio_row(case, other, name, factor):
        gs = g(case)
        if other is None:
            rows.append((case, f"≥ {factor}× faster than {name}", "peer missing or invalid", None))
            return
        if gs is None:
            rows.append((case, f"≥ {factor}× faster than {name}", "glacier-sync INVALID", False))
            return
        ratio = other["wall"] / gs["wall"]
        rows.append((case, f"≥ {factor}× faster than {name}",
                     f"{ratio:.2f}× ({fmt(other['wall'])} s vs {fmt(gs['wall'])} s)", ratio >= factor))

    for case in "abcde":
        if case not in stats:
            continue
        cs = stats[case]
        aws = cs.get("aws") if cs.get("aws", {}).get("valid") == cs.get("aws", {}).get("n") else None
        rcl = best_rclone(cs, "wall")
        rname = "rclone" + (" --size-only" if case in "de" else "") + (f" (best: {rcl['label']})" if rcl else "")
        if case == "a":
            ratio_row(case, rcl, rname, 1.5)
            ratio_row(case, aws, "aws", 5)
            rc = best_rclone(cs, "cpu")
            gs = g(case)
            if rc and gs:
                rows.append((case, "≤ ½ of rclone's CPU seconds",
                             f"{gs['cpu'] / rc['cpu']:.2f} of it ({fmt(gs['cpu'])} s vs {fmt(rc['cpu'])} s, "
                             f"{rc['label']})", gs["cpu"] <= rc["cpu"] / 2))
        elif case == "b":
            ratio_row(case, rcl, rname, 1.5)
            ratio_row(case, aws, "aws", 4)
        elif case == "c":
            gs, curl = g(case), cs.get("curl")
            if gs and curl and curl["valid"] == curl["n"]:
                rows.append((case, "within 1.15× of single-stream curl",
                             f"{gs['wall'] / curl['wall']:.2f}× of curl ({fmt(gs['wall'])} s vs {fmt(curl['wall'])} s)",
                             gs["wall"] <= 1.15 * curl["wall"]))
            else:
                rows.append((case, "within 1.15× of single-stream curl", "missing or invalid", gs is not None and None))
            ratio_row(case, aws, "aws", 1.5)
        elif case == "d":
            ratio_row(case, rcl, rname, 2)
            ratio_row(case, aws, "aws", 5)
            gs = g(case)
            if gs and aws:
                rows.append((case, "≤ ¼ of aws's peak RSS",
                             f"{gs['rss_mb'] / aws['rss_mb']:.2f} of it ({gs['rss_mb']:.0f} MB vs {aws['rss_mb']:.0f} MB)",
                             gs["rss_mb"] <= aws["rss_mb"] / 4))
        elif case == "e":
            ratio_row(case, rcl, rname, 2)
            ratio_row(case, aws, "aws", 5)
    return rows


def chart(stats, work, png, quick):
    cases = [c for c in "abcde" if c in stats]
    data = os.path.join(work, "chart.dat")
    with open(data, "w") as f:
        f.write("case " + " ".join(f'"{label}"' for _, label in CHART_TOOLS) + "\n")
        for case in cases:
            cells = []
            for tool, _ in CHART_TOOLS:
                if tool == "rclone*":
                    s = best_rclone(stats[case], "wall")
                else:
                    s = stats[case].get(tool)
                    s = s if s and s["valid"] == s["n"] else None
                cells.append(f"{s['wall']:.3f}" if s else "-")
            f.write(f'"{CHART_LABELS[case]}" ' + " ".join(cells) + "\n")
    script = f"""
set terminal pngcairo size 1100,560 font ",11"
set output "{png}"
set title "S3 → local sync on the local Ceph RGW: wall seconds, median of runs (log scale, lower is better){' — QUICK smoke run' if quick else ''}"
set datafile missing "-"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set logscale y
set ylabel "wall seconds"
set grid ytics
set key outside right top
plot for [i=2:{len(CHART_TOOLS) + 1}] "{data}" using i:xtic(1) title columnheader(i)
"""
    script_path = os.path.join(work, "plot.gp")
    with open(script_path, "w") as f:
        f.write(script)
    subprocess.run(["gnuplot", script_path], check=True)


def memory_section(memory):
    if not memory:
        return ["## Memory", "", "memory.sh has not been run (`bench/memory.sh`).", ""]
    lines = ["## Memory (issue item 5: peak RSS < 200 MB for 1,000,000 objects)", ""]
    lines.append(memory.get("description", ""))
    lines.append("")
    lines.append("| run | objects | wall s | CPU s | peak RSS MB | exit | < 200 MB? |")
    lines.append("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
    for run in memory.get("runs", []):
        rss = run["rss_kb"] / 1024 if run.get("rss_kb") else None
        ok = "met" if rss is not None and rss < 200 and run.get("exit") == 0 else "NOT met"
        lines.append(f"| {run['mode']} | {run['objects']:,} | {fmt(run.get('wall'), 1)} | {fmt(run.get('cpu'), 1)} | "
                     f"{fmt(rss, 0)} | {run.get('exit')} | {ok} |")
    for note in memory.get("notes", []):
        lines.append("")
        lines.append(note)
    lines.append("")
    return lines


def profile_section(results, met_by_case):
    profiles = results.get("profiles", {})
    if not profiles:
        return []
    lines = ["## Where glacier-sync's time goes (perf, one extra run per case)", "",
             "Each case got one more glacier-sync run under `perf record -a -F 499` (system-wide, "
             "not timed in the table above). *Share by process* shows who had the two cores "
             "during the run: the gateway (`radosgw`, `ceph-osd` and their threads, whose "
             "names perf shows), glacier-sync, and anything else on this shared machine. The "
             "second list is glacier-sync's own hot symbols. A missed target's bound is read "
             "from these.", ""]
    for case in "abcde":
        if case not in profiles:
            continue
        p = profiles[case]
        met = met_by_case.get(case)
        lines.append(f"### {CASES[case]}{'' if met is None else (' — all targets met' if met else ' — a target missed')}")
        lines.append("")
        lines.append(f"Profiled run: {fmt(p.get('wall'))} s wall. Share of all samples by process (top):")
        lines.append("")
        lines.append("```")
        lines.extend(p.get("by_comm", []))
        lines.append("```")
        lines.append("")
        lines.append("glacier-sync's samples by library, then its hottest symbols (% of its own samples; "
                     "`[k]` = kernel, i.e. system calls and page cache):")
        lines.append("")
        lines.append("```")
        lines.extend(p.get("gsync_dso", []))
        lines.append("")
        lines.extend(p.get("gsync_symbols", []))
        lines.append("```")
        lines.append("")
    return lines


ANALYSIS_BEGIN = "<!-- analysis:begin (hand-written; report.py keeps this block) -->"
ANALYSIS_END = "<!-- analysis:end -->"


def kept_analysis(path):
    """The hand-written block of an existing RESULTS.md, carried over on regeneration."""
    try:
        text = open(path).read()
    except OSError:
        return None
    start, end = text.find(ANALYSIS_BEGIN), text.find(ANALYSIS_END)
    if start < 0 or end < start:
        return None
    return text[start + len(ANALYSIS_BEGIN):end].strip("\n")


def write(results, memory, stats, out_md, png_name, analysis):
    m = results["machine"]
    v = results["versions"]
    quick = results.get("quick")
    names = QUICK_CASES if quick else CASES
    lines = ["# glacier-sync benchmark results", ""]
    if quick:
        lines += ["**QUICK smoke run (`bench/run.sh --quick`): small datasets, 1 run each. "
                  "Not the committed numbers.**", ""]
    lines += [
        f"Generated by `bench/run.sh` on {results['date']}; the whole run took "
        f"{results.get('total_seconds', 0) / 60:.0f} min (benchmark part) "
        f"with {results['runs_per_tool']} runs per tool and case.",
        "",
        "## Machine, server and tools",
        "",
        f"- Machine: {m['nproc']} cores ({m['cpu']}), {m['ram_gib']} GiB RAM, Linux {m['kernel']}, {m['os']}.",
        "- **The machine is shared**: the gateway's daemons and other people's builds run on the same "
        "2 cores as the client, so every number includes contention; the *load* column is the "
        "1-minute load average at the start of each run (median), and the runs of all tools are "
        "interleaved round by round so that they share the same conditions.",
        f"- Server: the project's gateway (`scripts/start-test-s3.sh`): Ceph {v.get('ceph', '?')}, "
        "one RADOS Gateway (beast, 512 threads) over one **memstore** OSD (objects in RAM), "
        "on 127.0.0.1:7480, plain HTTP, same 2 cores. The server is the bottleneck for "
        "many-small-object cases: the *server CPU* column is the CPU seconds radosgw + ceph-osd + "
        "mon + mgr used during the run (from /proc). A single GET stream of a large object "
        "is bounded by the RGW → OSD path on this machine.",
        f"- Destination: `/tmp/gsync-bench/dest` on {m['dest_fs']} (a real disk, not tmpfs). "
        "The source is in RAM (memstore), so there is no cache to drop on the read side; "
        "`sync` is called before every run so that no run pays for the previous run's writeback.",
        f"- glacier-sync: {v['glacier-sync']}, default options (`--jobs` default, safe mode).",
        f"- aws-cli: {v['aws']} (Debian's v2; its own defaults: 10 concurrent requests, 8 MiB multipart).",
        f"- rclone: {v['rclone']}, `rclone copy --transfers 64 --checkers 64`; in (d) and (e) "
        "`--size-only` as the issue says. Rows with `--fast-list` (one recursive listing "
        "stream instead of one listing per directory) are there because that is rclone's "
        "faster mode for listing-heavy cases on this server; each target is checked against the "
        "faster rclone variant.",
        f"- s3cmd: {v['s3cmd']}, `s3cmd sync` with its defaults (sequential, MD5 check).",
        f"- curl: {v['curl']}; (c) only: `curl --aws-sigv4` one object after the other, one stream each, "
        "the physical reference.",
        "",
        "## How it is measured",
        "",
        "- Each case has its own bucket in the production layout "
        "(`1_download_merge_and_clip/sentinel2/<NNN_Region>/{clipped,download/2025,metadata/...,template}/`, "
        "192 regions), random content. Every tool syncs `s3://BUCKET/1_download_merge_and_clip/sentinel2/` "
        "into the same relative place.",
        "- (a), (b), (c): a fresh, empty destination for every run. (d): one correct tree per tool "
        "(a `cp -a` of the generated source, mtimes = S3 LastModified in whole seconds, exactly what "
        "aws-cli's, rclone's and glacier-sync's first sync leaves; building it with each tool's own "
        "first sync would cost s3cmd and aws minutes each), and every run is the same no-op. "
        "(e): 500 new objects in (d)'s bucket; before every run the tool's tree is reset to (d) "
        "(the new files deleted).",
        "- Wall seconds: from start to exit. CPU seconds: user + sys of the whole process tree "
        "(`/usr/bin/time`). Peak RSS: `/usr/bin/time`'s %M, i.e. the maximum RSS of the largest "
        "single process in the tree (for these tools, the tool's one process).",
        "- After every run the destination is compared with the generated source: the exact file set "
        "(no missing, no extra files, no temp leftovers), sizes and SHA-256. A failed check or a "
        "non-zero exit marks the run INVALID. In (d)/(e) the *notes* say if a tool rewrote files that "
        "were already present (inode or mtime changed).",
        "- Medians of the runs; *ratio* = tool's median wall / glacier-sync's median wall "
        "(above 1: glacier-sync is faster).",
        "",
        "## Results",
        "",
        f"![wall seconds per case and tool]({png_name})",
        "",
    ]
    for case in "abcde":
        if case not in stats:
            continue
        cs = stats[case]
        dsinfo = results["datasets"].get(case, {})
        g = cs.get("glacier-sync")
        lines.append(f"### {names[case]}")
        lines.append("")
        lines.append(f"Bucket: {dsinfo.get('objects', 0):,} objects, {dsinfo.get('bytes', 0) / 2**20:,.0f} MiB.")
        lines.append("")
        lines.append("| tool | wall s (median; min–max) | ratio to glacier-sync | CPU s | peak RSS MB | server CPU s | load | runs | notes |")
        lines.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |")
        for tool, s in cs.items():
            ratio = s["wall"] / g["wall"] if g and g["wall"] else None
            valid = s["valid"] == s["n"]
            runs = f"{s['valid']}/{s['n']} valid" if valid else f"**INVALID** ({s['n'] - s['valid']} of {s['n']})"
            notes = "; ".join(s["problems"] + s["notes"])
            lines.append(
                f"| {s['label']} | {fmt(s['wall'])} ({fmt(s['wall_min'])}–{fmt(s['wall_max'])}) | "
                f"{fmt(ratio)}× | {fmt(s['cpu'])} | {s['rss_mb']:.0f} | {fmt(s['server_cpu'], 1)} | "
                f"{fmt(s['load'], 1)} | {runs} | {notes} |")
        lines.append("")
        if g and g["wall"]:
            ncpu = results["machine"]["nproc"]
            client, server = g["cpu"] / g["wall"], g["server_cpu"] / g["wall"]
            lines.append(f"During glacier-sync's runs: glacier-sync kept {client:.2f} cores busy, the gateway "
                         f"{server:.2f} cores, of the machine's {ncpu} (median 1-min load {fmt(g['load'], 1)}).")
            lines.append("")
    rows = targets(stats)
    lines += ["## Targets (issue #3)", "", "| case | glacier-sync must be | measured | met? |", "| --- | --- | --- | --- |"]
    for case, target, measured, met in rows:
        verdict = "**met**" if met else ("n/a" if met is None else "**NOT met**")
        lines.append(f"| ({case}) | {target} | {measured} | {verdict} |")
    lines.append("")
    met_by_case = {}
    for case, _, _, met in rows:
        met_by_case[case] = met_by_case.get(case, True) and bool(met)
    if analysis:
        lines += [ANALYSIS_BEGIN] + analysis.rstrip().splitlines() + [ANALYSIS_END, ""]
    lines += profile_section(results, met_by_case)
    lines += memory_section(memory)
    with open(out_md, "w") as f:
        f.write("\n".join(lines) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", default="/tmp/gsync-bench")
    parser.add_argument("--out", default=os.path.join(HERE, "RESULTS.md"))
    parser.add_argument("--png", default=os.path.join(HERE, "results.png"))
    args = parser.parse_args()
    with open(os.path.join(args.work, "results.json")) as f:
        results = json.load(f)
    memory = None
    memory_path = os.path.join(args.work, "memory.json")
    if os.path.exists(memory_path):
        with open(memory_path) as f:
            memory = json.load(f)
    stats = summarize(results["runs"])
    chart(stats, args.work, args.png, results.get("quick"))
    write(results, memory, stats, args.out, os.path.basename(args.png), kept_analysis(args.out))
    print(f"report: wrote {args.out} and {args.png}")
    for case, target, measured, met in targets(stats):
        print(f"  ({case}) {target}: {measured} -> {'met' if met else 'n/a' if met is None else 'NOT met'}")


if __name__ == "__main__":
    sys.exit(main())
