#!/usr/bin/env bash
# Peak RSS of glacier-sync on huge listings (issue #3 item 5: < 200 MB for 1,000,000
# objects), against bench/synthetic_s3.py, which serves any number of objects in the
# production layout without storing them.
#
#   bench/memory.sh [--quick]
#
# Runs, each under /usr/bin/time -v:
#   --dry-run   listing + planning of 100,000 and 1,000,000 objects;
#   real run    downloads of 100,000 and 1,000,000 tiny objects into a disk folder
#               (the million takes several minutes: creating a million files is the cost).
# Writes $GSYNC_BENCH_WORK/memory.json (default /tmp/gsync-bench), read by report.py.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
binary=${GSYNC_BINARY:-$repo/build-bench/glacier-sync}
work=${GSYNC_BENCH_WORK:-/tmp/gsync-bench}/memory
python=/usr/bin/python3

dry_sizes=(100000 1000000)
real_sizes=(100000 1000000)
if [[ "${1:-}" == "--quick" ]]; then
  dry_sizes=(10000 100000)
  real_sizes=(2000 20000)
fi

[[ -x "$binary" ]] || { echo "memory.sh: $binary not built" >&2; exit 1; }
rm -rf "$work"
mkdir -p "$work"

server_pid=
cleanup() {
  if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; fi
}
trap cleanup EXIT

"$python" "$here/synthetic_s3.py" --ready-file "$work/port" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do
  [[ -s "$work/port" ]] && break
  sleep 0.1
done
port=$(<"$work/port")
endpoint="http://127.0.0.1:$port"

runs_file="$work/runs.jsonl"
: >"$runs_file"

# run MODE COUNT: one measured glacier-sync run against bucket synthetic-COUNT.
run() {
  local mode=$1 count=$2
  local config="$work/config-$count.ini" dest="$work/data-$mode-$count"
  cat >"$config" <<EOF
[PATHS]
local_base_dir = /nonexistent
[SETTINGS]
execution_mode = local
[S3]
bucket = synthetic-$count
prefix = 1_download_merge_and_clip
endpoint_url = $endpoint
region = us-east-1
EOF
  local args=(--config "$config" --data-dir "$dest" sentinel2)
  [[ "$mode" == dry-run ]] && args+=(--dry-run)
  rm -rf "$dest"
  mkdir -p "$dest"
  local code=0
  env -i PATH=/usr/bin:/bin HOME="$work" LANG=C.UTF-8 \
    AWS_ACCESS_KEY_ID=synthetic AWS_SECRET_ACCESS_KEY=synthetic \
    /usr/bin/time -v -o "$work/time-$mode-$count" \
    "$binary" "${args[@]}" >"$work/out-$mode-$count" 2>"$work/err-$mode-$count" || code=$?
  # The check that the run really covered every object.
  local done_count
  if [[ "$mode" == dry-run ]]; then
    done_count=$(grep -c '^(dryrun) download:' "$work/out-$mode-$count" || true)
  else
    done_count=$(find "$dest" -type f | wc -l)
  fi
  "$python" - "$work/time-$mode-$count" "$mode" "$count" "$code" "$done_count" >>"$runs_file" <<'EOF'
import json, sys
path, mode, count, code, done = sys.argv[1:]
fields = {}
for line in open(path):
    name, _, value = line.strip().rpartition(": ")
    fields[name] = value
def seconds(text):
    parts = [float(p) for p in text.split(":")]
    total = 0.0
    for p in parts:
        total = total * 60 + p
    return total
user, system = float(fields["User time (seconds)"]), float(fields["System time (seconds)"])
print(json.dumps({
    "mode": mode, "objects": int(count), "exit": int(code), "done": int(done),
    "wall": seconds(fields["Elapsed (wall clock) time (h:mm:ss or m:ss)"]),
    "cpu": round(user + system, 2), "rss_kb": int(fields["Maximum resident set size (kbytes)"]),
}))
EOF
  tail -n 1 "$runs_file"
  rm -rf "$dest" "$work/out-$mode-$count"
}

for count in "${dry_sizes[@]}"; do run dry-run "$count"; done
for count in "${real_sizes[@]}"; do run real "$count"; done

"$python" - "$runs_file" "$work/../memory.json" "$binary" <<'EOF'
import json, os, sys
runs = [json.loads(line) for line in open(sys.argv[1])]
notes = []
for run in runs:
    if run["done"] != run["objects"]:
        run["exit"] = f"{run['exit']} (covered {run['done']:,} of {run['objects']:,})"
description = (
    "Against `bench/synthetic_s3.py` (a stdlib asyncio server that computes keys from their index: "
    "192 regions × clipped/download/metadata/template folders, 16-byte objects, ListObjectsV2 pages of "
    "1,000), so no real bucket holds a million objects. `--dry-run` lists and plans every object and "
    "prints one line per object (checked: the count of `(dryrun)` lines equals the object count); "
    "the real runs download every object into a folder on the disk (checked: file count). Peak RSS is "
    "`/usr/bin/time -v`'s maximum resident set size of glacier-sync.")
real = sorted((r for r in runs if r["mode"] == "real"), key=lambda r: r["objects"])
dry = sorted((r for r in runs if r["mode"] == "dry-run"), key=lambda r: r["objects"])
for group, name in ((dry, "dry-run"), (real, "real run")):
    if len(group) >= 2 and group[-1]["objects"] > group[0]["objects"]:
        slope = (group[-1]["rss_kb"] - group[0]["rss_kb"]) / (group[-1]["objects"] - group[0]["objects"])
        notes.append(f"{name}: RSS grows by {slope * 1024:.0f} bytes per extra object between "
                     f"{group[0]['objects']:,} and {group[-1]['objects']:,} objects"
                     + (f"; extrapolated to 1,000,000: {(group[0]['rss_kb'] + slope * (1_000_000 - group[0]['objects'])) / 1024:.0f} MB."
                        if group[-1]["objects"] < 1_000_000 else "."))
json.dump({"description": description, "runs": runs, "notes": notes}, open(sys.argv[2], "w"), indent=1)
print(f"memory.sh: wrote {os.path.abspath(sys.argv[2])}")
for note in notes:
    print("  " + note)
EOF
