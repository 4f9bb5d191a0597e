#!/usr/bin/env bash
# The demo: installs the Debian dependencies, builds glacier-sync, starts the local S3
# gateway (Ceph RADOS Gateway on 127.0.0.1), fills it with a small dataset in the
# production layout, and syncs it into a scratch data directory: first a dry run that
# leaves out the raw download/ folders, then a real sync, then a second sync that finds
# everything already present.
#
# Environment:
#   GSYNC_DEMO_DIR   scratch folder for the demo config and data (default /tmp/glacier-sync-demo)
#   GSYNC_BUILD_DIR  build folder (default build)
set -euo pipefail

cd "$(dirname "$0")/.."
demo_dir=${GSYNC_DEMO_DIR:-/tmp/glacier-sync-demo}
build_dir=${GSYNC_BUILD_DIR:-build}
bucket=glacier-sync-demo
state_dir=${GSYNC_S3_STATE_DIR:-/tmp/gsync-test-s3}

step() {
  printf '\n==> %s\n' "$*"
}

step "Installing dependencies"
scripts/install-deps.sh test

step "Building"
cmake -S . -B "$build_dir" >/dev/null
cmake --build "$build_dir" -j2 --target glacier-sync

step "Starting the local S3 gateway"
scripts/start-test-s3.sh
# shellcheck disable=SC1091
source "$state_dir/env"

step "Filling s3://$bucket with a generated dataset"
python3 scripts/make-demo-data.py --bucket "$bucket"

# A fresh data directory every time, so the first sync really downloads; it lives
# under /tmp because glacier-sync refuses a data directory inside a git checkout.
rm -rf "$demo_dir/data"
mkdir -p "$demo_dir/data"
cat >"$demo_dir/config.ini" <<EOF
[PATHS]
base_dir = $demo_dir/data
local_base_dir = $demo_dir/data

[SETTINGS]
execution_mode = local

[S3]
bucket = $bucket
endpoint_url = $GSYNC_TEST_ENDPOINT
region = us-east-1
EOF

run() {
  echo "\$ $build_dir/glacier-sync $*"
  "$build_dir/glacier-sync" "$@"
}

step "Dry run without the raw download/ folders"
run --config "$demo_dir/config.ini" all --exclude-downloads --dry-run

step "Real sync"
run --config "$demo_dir/config.ini" all

step "Second sync: everything is already there"
run --config "$demo_dir/config.ini" all

step "Done. Data in $demo_dir/data; stop the gateway with scripts/stop-test-s3.sh"
