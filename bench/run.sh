#!/usr/bin/env bash
# The benchmark in one command (root): glacier-sync against aws-cli v2, rclone, s3cmd and
# single-stream curl on the project's local gateway, then the memory test.
#
#   bench/run.sh            full run (3 runs per tool and case, ~30-40 min on 2 cores);
#                           writes bench/RESULTS.md and bench/results.png
#   bench/run.sh --quick    smoke run (small datasets, 1 run); writes its report to
#                           $GSYNC_BENCH_WORK (default /tmp/gsync-bench), not to bench/
#
# Other arguments go to bench/bench.py (e.g. --cases ab, --runs 5, --tools glacier-sync rclone).
# The gateway is left running, as scripts/demo.sh does: scripts/stop-test-s3.sh stops it.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
work=${GSYNC_BENCH_WORK:-/tmp/gsync-bench}
python=/usr/bin/python3 # Debian's; a pyenv python first on PATH is not what the tools use

quick=()
passthrough=()
for arg in "$@"; do
  case "$arg" in
    --quick) quick=(--quick) ;;
    *) passthrough+=("$arg") ;;
  esac
done

[[ $(id -u) -eq 0 ]] || { echo "run.sh: run as root (packages and the gateway's daemons)" >&2; exit 1; }
started=$SECONDS

scripts/install-deps.sh bench
cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DGSYNC_TESTS=OFF >/dev/null
cmake --build build-bench -j2 --target glacier-sync
scripts/start-test-s3.sh

mkdir -p "$work"
if ! df -P "$work" | awk 'NR==2 && $4 < 8*1024*1024 {exit 1}'; then
  echo "run.sh: less than 8 GB free under $work" >&2
  exit 1
fi

"$python" bench/bench.py --work "$work" "${quick[@]}" "${passthrough[@]}"
GSYNC_BENCH_WORK="$work" GSYNC_BINARY="$PWD/build-bench/glacier-sync" bench/memory.sh "${quick[@]}"

if [[ ${#quick[@]} -gt 0 ]]; then
  "$python" bench/report.py --work "$work" --out "$work/RESULTS.md" --png "$work/results.png"
else
  "$python" bench/report.py --work "$work"
fi
echo "run.sh: done in $(((SECONDS - started) / 60)) min $(((SECONDS - started) % 60)) s"
