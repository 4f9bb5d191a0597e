#!/usr/bin/env bash
# Starts a throwaway single-node Ceph cluster (mon, mgr, one memstore OSD) and a
# RADOS Gateway on 127.0.0.1, for the integration tests, the demo and the benchmark.
#
# Runs as root without systemd: every daemon is started by hand against a private
# ceph.conf, and all of its state lives in one folder, so a run never touches
# /etc/ceph or /var/lib/ceph and `stop-test-s3.sh` can remove it without a trace.
#
# Environment:
#   GSYNC_S3_STATE_DIR       state folder (default /tmp/gsync-test-s3)
#   GSYNC_S3_PORT            gateway port (default 7480)
#   GSYNC_S3_MEMSTORE_BYTES  OSD capacity, held in RAM (default 8 GiB)
#
# On success, `source "$GSYNC_S3_STATE_DIR/env"` gives the credentials, the endpoint
# and the path of the aws-cli v2 to use.
set -euo pipefail

state_dir=${GSYNC_S3_STATE_DIR:-/tmp/gsync-test-s3}
port=${GSYNC_S3_PORT:-7480}
# 8 GiB holds the benchmark (2 x 1 GiB objects plus 50,000 small ones) with room for
# RGW's own pools; memstore only allocates what is written, so a large size is free.
memstore_bytes=${GSYNC_S3_MEMSTORE_BYTES:-8589934592}
endpoint="http://127.0.0.1:${port}"
timeout_s=90

# Fixed keys so tests, the demo and a developer's shell all agree without plumbing.
access_key=GSYNCTESTACCESSKEY00
secret_key=gsyncTestSecretKey0000000000000000000000
uid=gsync-test
rgw_name=client.rgw.gsync

conf="$state_dir/ceph.conf"
started_at=$SECONDS

die() {
  echo "start-test-s3: $*" >&2
  exit 1
}

# The logs that explain a failure: the daemon's own log and what it printed while
# starting (its stdio is sent to a file so that it never holds a caller's pipe open,
# which would make CTest wait for the daemon to exit).
die_with_log() {
  local message=$1 log
  shift
  echo "start-test-s3: $message" >&2
  for log in "$@"; do
    if [[ -s "$log" ]]; then
      echo "--- last lines of $log ---" >&2
      tail -n 30 "$log" >&2
    fi
  done
  exit 1
}

# A pyenv aws-cli v1 shadows Debian's v2 on PATH, and v1 signs and splits multipart
# uploads differently, so resolve v2 from the package itself.
find_aws_v2() {
  local path
  path=$(dpkg -L awscli 2>/dev/null | grep 'bin/aws$' | head -n 1 || true)
  [[ -n "$path" && -x "$path" ]] || path=/usr/bin/aws
  [[ -x "$path" ]] || die "Debian's aws-cli v2 is not installed (run scripts/install-deps.sh test)"
  "$path" --version 2>&1 | grep -q '^aws-cli/2\.' || die "$path is not aws-cli v2"
  echo "$path"
}

gateway_answers() {
  curl -s -o /dev/null --max-time 2 "$endpoint/"
}

write_env() {
  local tmp="$state_dir/env.tmp"
  cat >"$tmp" <<EOF
export AWS_ACCESS_KEY_ID=$access_key
export AWS_SECRET_ACCESS_KEY=$secret_key
export GSYNC_TEST_ENDPOINT=$endpoint
export AWS_DEFAULT_REGION=us-east-1
export GSYNC_AWS_V2=$aws_v2
EOF
  # Readers may source the file while we rewrite it; rename is atomic.
  mv -f "$tmp" "$state_dir/env"
}

# Only signal processes that really are the Ceph daemons we started: a pid file from a
# dead run may name a pid the kernel has since given to something else.
kill_from_pid_files() {
  local pid_file pid exe
  for pid_file in "$state_dir"/run/*.pid; do
    [[ -f "$pid_file" ]] || continue
    pid=$(<"$pid_file")
    [[ "$pid" =~ ^[0-9]+$ ]] || continue
    exe=$(readlink "/proc/$pid/exe" 2>/dev/null || true)
    case "$exe" in
      */ceph-mon | */ceph-mgr | */ceph-osd | */radosgw) kill -9 "$pid" 2>/dev/null || true ;;
    esac
  done
}

[[ $(id -u) -eq 0 ]] || die "must run as root (the daemons are started without systemd)"
for tool in ceph ceph-mon ceph-osd ceph-mgr radosgw radosgw-admin monmaptool curl uuidgen; do
  command -v "$tool" >/dev/null || die "$tool not found (run scripts/install-deps.sh test)"
done
aws_v2=$(find_aws_v2)

if gateway_answers; then
  mkdir -p "$state_dir"
  write_env
  echo "S3 gateway ready at $endpoint (already running)"
  exit 0
fi

# Nothing answers, so any state folder is from a dead or half-started run; its
# survivors would hold the mon port or the old cluster's fsid, so start clean.
if [[ -d "$state_dir" ]]; then
  kill_from_pid_files
  rm -rf "$state_dir"
fi
mkdir -p "$state_dir"/{mon/a,osd/0,mgr/x,run,log,crash}

fsid=$(uuidgen)
osd_uuid=$(uuidgen)

cat >"$conf" <<EOF
[global]
fsid = $fsid
mon initial members = a
mon host = [v2:127.0.0.1:3300,v1:127.0.0.1:6789]
public addr = 127.0.0.1
cluster addr = 127.0.0.1

# A loopback test cluster has no one to keep out; cephx only costs start-up time.
auth cluster required = none
auth service required = none
auth client required = none
# The default "secure crc" makes clients try msgr2 secure mode, which needs cephx.
ms mon client mode = crc

# Keep every path inside the state folder so no system directory is needed.
run dir = $state_dir/run
admin socket = $state_dir/run/\$name.asok
pid file = $state_dir/run/\$name.pid
log file = $state_dir/log/\$name.log
crash dir = $state_dir/crash
keyring = $state_dir/\$name.keyring

# One OSD: single-replica pools, placement across OSDs rather than hosts, no
# warnings about it, and few PGs so the ~8 RGW pools peer quickly and fit the limit.
osd pool default size = 1
osd pool default min size = 1
mon allow pool size one = true
mon warn on pool no redundancy = false
osd crush chooseleaf type = 0
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
mon max pg per osd = 1000

# /tmp may be nearly full on a CI runner; the mon must not refuse to start for it.
mon data avail crit = 0
mon data avail warn = 0
# The mon batches map changes for a second by default; RGW's first start makes ~10
# changes one after another (pool creations), so that second dominates start-up.
paxos propose interval = 0.05

[mon]
mon data = $state_dir/mon/\$id

[mgr]
mgr data = $state_dir/mgr/\$id

[osd]
osd data = $state_dir/osd/\$id
# RAM-backed: no disk to prepare, and each run starts empty.
osd objectstore = memstore
memstore device bytes = $memstore_bytes

[$rgw_name]
rgw frontends = beast endpoint=127.0.0.1:$port
# Sized for 64+ concurrent clients (the transfer engine and the benchmark).
rgw thread pool size = 512
rgw max concurrent requests = 1024
rgw enable usage log = false
# Deleted objects' data is freed by RGW's garbage collector, by default 2 h later: the
# benchmark deletes gigabytes per case, and the memstore OSD would hold them all in RAM
# until it is full and writes stall. Collect within a minute instead.
rgw gc obj min wait = 30
rgw gc processor period = 30
rgw gc processor max time = 30
# A log line per request would dominate the benchmark; keep errors only.
debug rgw = 0/1
debug ms = 0/0
EOF

ceph_cmd=(ceph -c "$conf" --connect-timeout 10)

monmaptool --create --clobber --fsid "$fsid" \
  --addv a '[v2:127.0.0.1:3300,v1:127.0.0.1:6789]' "$state_dir/monmap" >/dev/null
ceph-mon -c "$conf" --mkfs -i a --monmap "$state_dir/monmap" \
  >"$state_dir/log/mon-mkfs.log" 2>&1 ||
  die_with_log "ceph-mon --mkfs failed" "$state_dir/log/mon-mkfs.log"
ceph-mon -c "$conf" -i a </dev/null >>"$state_dir/log/mon-start.log" 2>&1 ||
  die_with_log "ceph-mon did not start" "$state_dir/log/mon-start.log" "$state_dir/log/mon.a.log"

# Registering the OSD is the first mon round trip, so it doubles as the mon's
# readiness check; the connect timeout above bounds it.
osd_id=$("${ceph_cmd[@]}" osd new "$osd_uuid" 2>"$state_dir/log/osd-new.log") ||
  die_with_log "the mon did not answer (ceph osd new failed)" "$state_dir/log/osd-new.log" "$state_dir/log/mon.a.log"
ceph-osd -c "$conf" -i "$osd_id" --mkfs --osd-uuid "$osd_uuid" \
  >"$state_dir/log/osd-mkfs.log" 2>&1 ||
  die_with_log "ceph-osd --mkfs failed" "$state_dir/log/osd-mkfs.log"
ceph-osd -c "$conf" -i "$osd_id" </dev/null >>"$state_dir/log/osd-start.log" 2>&1 ||
  die_with_log "ceph-osd did not start" "$state_dir/log/osd-start.log" "$state_dir/log/osd.$osd_id.log"

# RGW does not need the mgr, so it is started but never waited for.
ceph-mgr -c "$conf" -i x </dev/null >>"$state_dir/log/mgr-start.log" 2>&1 ||
  die_with_log "ceph-mgr did not start" "$state_dir/log/mgr-start.log" "$state_dir/log/mgr.x.log"

"${ceph_cmd[@]}" auth get-or-create "$rgw_name" osd 'allow rwx' mon 'allow rw' \
  -o "$state_dir/$rgw_name.keyring" 2>"$state_dir/log/auth.log" ||
  die_with_log "could not create the gateway's key" "$state_dir/log/auth.log"
radosgw -c "$conf" -n "$rgw_name" </dev/null >>"$state_dir/log/rgw-start.log" 2>&1 ||
  die_with_log "radosgw did not start" "$state_dir/log/rgw-start.log" "$state_dir/log/$rgw_name.log"

deadline=$((started_at + timeout_s))
until gateway_answers; do
  ((SECONDS < deadline)) ||
    die_with_log "gateway did not answer on $endpoint within ${timeout_s}s" \
      "$state_dir/log/$rgw_name.log"
  sleep 0.25
done

# The user is created only once the gateway is up: before that, the gateway and
# radosgw-admin would race to create the default zone.
radosgw-admin -c "$conf" -n "$rgw_name" user create --uid "$uid" \
  --display-name "glacier-sync tests" \
  --access-key "$access_key" --secret "$secret_key" \
  >"$state_dir/log/user-create.log" 2>&1 ||
  die_with_log "radosgw-admin user create failed" "$state_dir/log/user-create.log"

write_env

# An anonymous answer only proves the frontend is up; a signed request proves the
# user, the keys and the metadata pools are all usable. The gateway caches users,
# so retry briefly.
until env AWS_ACCESS_KEY_ID="$access_key" AWS_SECRET_ACCESS_KEY="$secret_key" \
  AWS_DEFAULT_REGION=us-east-1 AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null \
  "$aws_v2" --endpoint-url "$endpoint" s3api list-buckets \
  >"$state_dir/log/signed-check.log" 2>&1; do
  ((SECONDS < deadline)) ||
    die_with_log "signed requests still fail after ${timeout_s}s" \
      "$state_dir/log/signed-check.log"
  sleep 0.5
done

echo "S3 gateway ready at $endpoint ($((SECONDS - started_at))s)"
