#!/usr/bin/env python3
"""Times glacier-sync against aws-cli v2, rclone, s3cmd (and curl) on the local gateway.

For each case it fills a bucket in the production layout, then runs every tool
--runs times (tools interleaved inside each round), measuring wall seconds, CPU
seconds (user+sys of the whole process tree) and peak RSS (/usr/bin/time's %M: the
largest single process of the tree), plus the gateway's own CPU seconds. After
every run the destination is compared with the generated source (file set, sizes,
SHA-256); a run that fails the check, or exits non-zero, is INVALID.

Results go to WORK/results.json after every run; report.py turns them into
bench/RESULTS.md and bench/results.png.
"""

import argparse
import datetime
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import datasets as ds  # noqa: E402
import tools  # noqa: E402

lib = ds.lib
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def log(message):
    print(f"[{datetime.datetime.now():%H:%M:%S}] {message}", flush=True)


# ---------------------------------------------------------------------------------
# Measuring
# ---------------------------------------------------------------------------------


def server_pids():
    run_dir = os.path.join(lib.state_dir(), "run")
    pids = []
    for name in sorted(os.listdir(run_dir)) if os.path.isdir(run_dir) else []:
        if name.endswith(".pid"):
            try:
                pids.append(int(open(os.path.join(run_dir, name)).read().strip()))
            except (OSError, ValueError):
                pass
    return pids


def server_cpu_seconds(pids):
    """utime+stime of the gateway's daemons (radosgw, ceph-osd, ...)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            pass
    return total / ticks


def timed_run(argv, env, cwd, log_path, timeout):
    """Runs argv under /usr/bin/time; returns a dict of measurements."""
    time_file = log_path + ".time"
    pids = server_pids()
    os.sync()  # earlier runs' dirty pages must not be flushed on this run's clock
    load = os.getloadavg()[0]
    server0 = server_cpu_seconds(pids)
    start = time.monotonic()
    with open(log_path, "wb") as out:
        try:
            proc = subprocess.run(
                ["/usr/bin/time", "-f", "%e %U %S %M", "-o", time_file, *argv],
                env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                timeout=timeout,
            )
            code = proc.returncode
        except subprocess.TimeoutExpired:
            code = "timeout"
    wall = time.monotonic() - start
    server = server_cpu_seconds(pids) - server0
    result = {"wall": round(wall, 3), "exit": code, "server_cpu": round(server, 2), "load": round(load, 2)}
    try:
        fields = open(time_file).read().split()[-4:]
        result.update({"user": float(fields[1]), "sys": float(fields[2]), "rss_kb": int(fields[3])})
        result["cpu"] = round(result["user"] + result["sys"], 2)
    except (OSError, ValueError, IndexError):
        result.update({"user": None, "sys": None, "rss_kb": None, "cpu": None})
    return result


# ---------------------------------------------------------------------------------
# Verifying and preparing trees
# ---------------------------------------------------------------------------------


def sha256_file(path):
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def walk_files(root):
    found = {}
    for directory, _, names in os.walk(root):
        for name in names:
            path = os.path.join(directory, name)
            found[os.path.relpath(path, root)] = path
    return found


def verify(dest, manifest):
    """None if dest holds exactly the manifest's files, byte for byte; else why not."""
    found = walk_files(dest)
    expected = {key.replace("/", os.sep): value for key, value in manifest.items()}
    missing = [k for k in expected if k not in found]
    extra = [k for k in found if k not in expected]
    wrong = []
    for rel, (size, digest) in expected.items():
        path = found.get(rel)
        if path is None:
            continue
        if os.path.getsize(path) != size or sha256_file(path) != digest:
            wrong.append(rel)
    problems = []
    if missing:
        problems.append(f"{len(missing)} missing (e.g. {missing[0]})")
    if extra:
        problems.append(f"{len(extra)} extra (e.g. {extra[0]})")
    if wrong:
        problems.append(f"{len(wrong)} differ (e.g. {wrong[0]})")
    return "; ".join(problems) or None


def snapshot(dest):
    """(inode, mtime_ns) of every file: tells which files a run rewrote."""
    out = {}
    for rel, path in walk_files(dest).items():
        st = os.stat(path)
        out[rel] = (st.st_ino, st.st_mtime_ns)
    return out


def rewritten(before, dest):
    after = snapshot(dest)
    return sum(1 for rel, sig in before.items() if after.get(rel) != sig)


def fresh_dir(path):
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)


def copy_tree(source, dest):
    shutil.rmtree(dest, ignore_errors=True)
    # cp -a keeps the mtimes (aws-cli re-downloads a file whose mtime is newer than S3's).
    subprocess.run(["cp", "-a", source, dest], check=True)


def trim_to(dest, manifest):
    """Deletes every file under dest that is not in manifest (resets case (e))."""
    expected = {key.replace("/", os.sep) for key in manifest}
    removed = 0
    for rel, path in walk_files(dest).items():
        if rel not in expected:
            os.unlink(path)
            removed += 1
    return removed


# ---------------------------------------------------------------------------------
# The benchmark
# ---------------------------------------------------------------------------------


def versions(ctx):
    def first_line(argv):
        try:
            out = subprocess.run(argv, capture_output=True, text=True, env=ctx.aws_env(), timeout=30)
            return (out.stdout or out.stderr).strip().splitlines()[0]
        except (OSError, IndexError, subprocess.TimeoutExpired):
            return "?"

    def git(*args):
        out = subprocess.run(["git", "-C", REPO, *args], capture_output=True, text=True)
        return out.stdout.strip()

    dirty = " (+ uncommitted changes)" if git("status", "--porcelain", "--untracked-files=no") else ""
    return {
        "glacier-sync": f"{git('rev-parse', '--short', 'HEAD')}{dirty}, Release build",
        "aws": first_line([ctx.aws, "--version"]),
        "rclone": first_line(["rclone", "version"]),
        "s3cmd": first_line(["s3cmd", "--version"]),
        "curl": first_line(["curl", "--version"]),
        "ceph": first_line(["ceph", "--version"]),
    }


def machine():
    cpu = "?"
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = int(next(l for l in open("/proc/meminfo") if l.startswith("MemTotal")).split()[1])
    disk = shutil.disk_usage("/tmp")
    df = subprocess.run(["df", "-T", "/tmp"], capture_output=True, text=True).stdout.splitlines()[-1].split()
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gib": round(mem_kb / 1024 / 1024, 1),
        "kernel": platform.release(),
        "os": platform.freedesktop_os_release().get("PRETTY_NAME", "?"),
        "dest_fs": f"{df[0]} ({df[1]}), {disk.free / 1e9:.0f} GB free",
    }


class Bench:
    def __init__(self, args):
        self.args = args
        self.work = args.work
        os.makedirs(self.work, exist_ok=True)
        self.env = lib.load_gateway_env()
        self.s3 = ds.FastClient.from_env(self.env)
        self.ctx = tools.Context(self.env, args.binary, self.work)
        self.results_path = os.path.join(self.work, "results.json")
        self.results = {
            "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "quick": args.quick,
            "runs_per_tool": args.runs,
            "machine": machine(),
            "versions": versions(self.ctx),
            "datasets": {},
            "runs": [],
        }
        self.log_dir = os.path.join(self.work, "logs")
        fresh_dir(self.log_dir)

    def save(self):
        tmp = self.results_path + ".tmp"
        with open(tmp, "w") as f:
            json.dump(self.results, f, indent=1)
        os.replace(tmp, self.results_path)

    def bucket(self, case):
        return f"gsync-bench-{'d' if case == 'e' else case}"

    def prepare(self, case, objects):
        """Uploads a case's dataset; returns (manifest, source dir)."""
        bucket = self.bucket(case)
        source = os.path.join(self.work, "src", bucket)
        if case != "e":
            ds.delete_bucket_fast(self.s3, bucket)
            shutil.rmtree(source, ignore_errors=True)
            ds.ensure_bucket(self.s3, bucket)
            todo = objects
        else:  # (e) adds its new objects to (d)'s bucket
            done = set(self.manifests["d"])
            todo = [o for o in objects if o[0] not in done]
        start = time.monotonic()
        manifest = ds.generate_and_upload(self.s3, bucket, todo, source)
        upload = time.monotonic() - start
        if case == "e":
            manifest = {**self.manifests["d"], **manifest}
        total = sum(size for size, _ in manifest.values())
        self.results["datasets"][case] = {
            "bucket": bucket, "objects": len(manifest), "bytes": total,
            "uploaded": len(todo), "upload_seconds": round(upload, 1),
        }
        log(f"case {case}: uploaded {len(todo)} objects ({sum(s for _, s in todo) / 2**20:.0f} MiB) "
            f"in {upload:.1f}s; bucket holds {len(manifest)} objects ({total / 2**20:.0f} MiB)")
        if case == "d":
            # The source tree becomes the present tree: give it S3's LastModified as mtime,
            # as each tool's own first download would (aws-cli truncates to whole seconds).
            ds.set_mtimes_from_listing(self.s3, bucket, source, ds.PREFIX + "/")
        return manifest, source

    def record(self, case, tool, run, measured, problem, note=""):
        entry = {"case": case, "tool": tool, "label": tools.label(tool, case), "run": run, **measured}
        if measured["exit"] != 0:
            problem = f"exit {measured['exit']}" + (f"; {problem}" if problem else "")
        entry["valid"] = problem is None
        entry["problem"] = problem
        entry["note"] = note
        self.results["runs"].append(entry)
        self.save()
        status = "ok" if problem is None else f"INVALID ({problem})"
        rss = f"{measured['rss_kb'] / 1024:.0f} MB" if measured.get("rss_kb") else "?"
        log(f"  {case} {tools.label(tool, case):32s} run {run}: {measured['wall']:7.2f}s wall, "
            f"cpu {measured['cpu']}s, rss {rss}, server cpu {measured['server_cpu']}s, "
            f"load {measured['load']} {status} {note}")

    def run_case(self, case):
        objects = ds.layout(case, quick=self.args.quick)
        manifest, source = self.prepare(case, objects)
        self.manifests[case] = manifest
        bucket = self.bucket(case)
        names = [t for t in tools.TOOLS[case] if not self.args.tools or t in self.args.tools]
        timeout = self.args.timeout
        kept_trees = []
        if case in ("d", "e"):
            trees = {t: os.path.join(self.work, "dest", f"de-{t}") for t in names}
            if case == "d":
                for tool in names:
                    copy_tree(source, trees[tool])
        for run in range(1, self.args.runs + 1):
            for tool in names:
                log_path = os.path.join(self.log_dir, f"{case}-{tool}-{run}.log")
                note = ""
                if case in ("d", "e"):
                    dest = trees[tool]
                    if case == "e":
                        trim_to(dest, self.manifests["d"])
                    before = snapshot(dest)
                else:
                    # A fresh folder per run, removed only when the case is over: ext4 skips
                    # inodes freed in the last seconds when it allocates new ones, so deleting
                    # 5,000 files just before the next tool's run would slow that tool's
                    # file creation, more with every run (seen: the same tool 2x slower by
                    # its third run).
                    dest = os.path.join(self.work, "dest", f"{case}-{tool}-{run}")
                    fresh_dir(dest)
                    kept_trees.append(dest)
                argv, env = tools.command(self.ctx, tool, case, bucket, dest, objects)
                measured = timed_run(argv, env, dest, log_path, timeout)
                problem = verify(dest, manifest)
                if case in ("d", "e"):
                    changed = rewritten({k: v for k, v in before.items()}, dest)
                    note = f"rewrote {changed} present files" if changed else ""
                if problem:
                    tail = open(log_path, "rb").read()[-600:].decode("utf-8", "replace")
                    log(f"  log tail of {log_path}:\n{tail}")
                self.record(case, tool, run, measured, problem, note)
                if case == "c":  # two files: nothing to gain by keeping 2 GiB per run
                    shutil.rmtree(dest, ignore_errors=True)
        if self.args.profile:
            self.profile(case, bucket, objects, trees if case in ("d", "e") else None)
        for tree in kept_trees:
            shutil.rmtree(tree, ignore_errors=True)
        if case in ("a", "b", "c"):
            ds.delete_bucket_fast(self.s3, bucket)
            shutil.rmtree(source, ignore_errors=True)

    def profile(self, case, bucket, objects, trees):
        """One more glacier-sync run under a system-wide perf: who had the CPU, and where."""
        if "glacier-sync" not in (self.args.tools or ["glacier-sync"]):
            return
        if trees:
            dest = trees["glacier-sync"]
            if case == "e":
                trim_to(dest, self.manifests["d"])
        else:
            dest = os.path.join(self.work, "dest", f"{case}-glacier-sync")
            fresh_dir(dest)
        data = os.path.join(self.work, f"perf-{case}.data")
        argv, env = tools.command(self.ctx, "glacier-sync", case, bucket, dest, objects)
        perf = ["perf", "record", "-a", "-F", "499", "-q", "-o", data, "--"]
        measured = timed_run(perf + argv, env, dest, os.path.join(self.log_dir, f"{case}-perf.log"), self.args.timeout)

        def report(limit, *extra):
            out = subprocess.run(["perf", "report", "-i", data, "--stdio", "--percent-limit", str(limit), *extra],
                                 capture_output=True, text=True)
            lines = [" ".join(l.split())[:110] for l in out.stdout.splitlines()]
            return [l for l in lines if l and not l.startswith("#")][:14]

        gsync = ["--comms", "glacier-sync", "--percentage", "relative"]
        self.results.setdefault("profiles", {})[case] = {
            "wall": measured["wall"],
            "by_comm": report(1.5, "--sort", "comm"),
            "gsync_dso": report(1, *gsync, "--sort", "dso"),
            "gsync_symbols": report(1.5, *gsync, "--sort", "dso,symbol"),
        }
        self.save()
        log(f"  {case} profiled glacier-sync ({measured['wall']:.2f}s under perf)")
        os.replace(data, data + ".last")
        if not trees:
            shutil.rmtree(dest, ignore_errors=True)

    def cleanup(self):
        ds.delete_bucket_fast(self.s3, self.bucket("d"))
        shutil.rmtree(os.path.join(self.work, "src"), ignore_errors=True)
        shutil.rmtree(os.path.join(self.work, "dest"), ignore_errors=True)

    def main(self):
        self.manifests = {}
        cases = list(self.args.cases)
        if "e" in cases and "d" not in cases:
            raise SystemExit("case e builds on case d: run them together")
        started = time.monotonic()
        for case in cases:
            self.run_case(case)
        if not self.args.keep:
            self.cleanup()
        self.results["total_seconds"] = round(time.monotonic() - started)
        self.save()
        log(f"done in {time.monotonic() - started:.0f}s; results in {self.results_path}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small datasets, 1 run per tool")
    parser.add_argument("--runs", type=int, default=None, help="runs per tool and case (default 3)")
    parser.add_argument("--cases", default="abcde")
    parser.add_argument("--tools", nargs="*", help="only these tools (default: all)")
    parser.add_argument("--binary", default=os.path.join(REPO, "build-bench", "glacier-sync"))
    parser.add_argument("--work", default="/tmp/gsync-bench")
    parser.add_argument("--timeout", type=int, default=900, help="seconds before a run counts as failed")
    parser.add_argument("--keep", action="store_true", help="keep buckets and trees afterwards")
    parser.add_argument("--no-profile", dest="profile", action="store_false",
                        help="skip the extra glacier-sync run under perf per case")
    args = parser.parse_args()
    if args.runs is None:
        args.runs = 1 if args.quick else 3
    Bench(args).main()


if __name__ == "__main__":
    main()
