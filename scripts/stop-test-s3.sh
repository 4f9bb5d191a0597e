#!/usr/bin/env bash
# Stops the throwaway Ceph cluster started by start-test-s3.sh and removes its state.
#
# Only the daemons named by the pid files in the state folder are signalled, and only
# when /proc/PID/exe really is a Ceph daemon: a pid file from a dead run may name a pid
# the kernel has since given to an unrelated process.
#
# Environment:
#   GSYNC_S3_STATE_DIR  state folder (default /tmp/gsync-test-s3)
set -euo pipefail

state_dir=${GSYNC_S3_STATE_DIR:-/tmp/gsync-test-s3}

if [[ ! -d "$state_dir" ]]; then
  echo "stop-test-s3: nothing to stop ($state_dir does not exist)"
  exit 0
fi

ceph_pids=()
for pid_file in "$state_dir"/run/*.pid; do
  [[ -f "$pid_file" ]] || continue
  pid=$(<"$pid_file")
  [[ "$pid" =~ ^[0-9]+$ ]] || continue
  exe=$(readlink "/proc/$pid/exe" 2>/dev/null || true)
  case "$exe" in
    */ceph-mon | */ceph-mgr | */ceph-osd | */radosgw) ceph_pids+=("$pid") ;;
  esac
done

# The cluster is disposable (memstore, no data worth flushing), so SIGKILL is fine;
# it also frees the ports at once for a following start.
for pid in "${ceph_pids[@]}"; do
  kill -9 "$pid" 2>/dev/null || true
done
for pid in "${ceph_pids[@]}"; do
  for _ in $(seq 50); do
    [[ -e "/proc/$pid" ]] || break
    sleep 0.1
  done
done

rm -rf "$state_dir"
echo "stop-test-s3: stopped ${#ceph_pids[@]} daemon(s), removed $state_dir"
