#!/usr/bin/env bash
# Installs every Debian package the project needs to build, test, run the demo
# and (optionally) the benchmark. Idempotent: packages already present are skipped,
# so CI and the demo can call it unconditionally.
set -euo pipefail

build_packages=(
  build-essential cmake pkg-config git
  libcurl4-openssl-dev libssl-dev libpugixml-dev libcli11-dev
  nlohmann-json3-dev libfmt-dev
  libgtest-dev libgmock-dev googletest libbenchmark-dev
)
test_packages=(
  ceph-mon ceph-osd ceph-mgr radosgw
  awscli
  python3 curl procps util-linux
)
bench_packages=(rclone s3cmd gnuplot-nox time)

wanted=("${build_packages[@]}")
case "${1:-test}" in
  build) ;;
  test) wanted+=("${test_packages[@]}") ;;
  bench) wanted+=("${test_packages[@]}" "${bench_packages[@]}") ;;
  *) echo "usage: $0 [build|test|bench]" >&2; exit 2 ;;
esac

missing=()
for package in "${wanted[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$package")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  echo "install-deps: all ${#wanted[@]} packages present"
  exit 0
fi

sudo_cmd=()
[[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
echo "install-deps: installing ${missing[*]}"
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
