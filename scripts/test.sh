#!/usr/bin/env bash
# The project's one test command (README "Run the tests"; CI runs exactly this):
# installs the Debian packages, builds with warnings as errors, runs the unit tests and
# the integration tests against a local Ceph RADOS Gateway (started by CTest's fixture),
# then runs the unit tests again under AddressSanitizer and UBSan.
set -euo pipefail
cd "$(dirname "$0")/.."

jobs=$(nproc)
scripts/install-deps.sh test

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGSYNC_WERROR=ON
cmake --build build -j "$jobs"
ctest --test-dir build --output-on-failure -j "$jobs"

# Sanitizers catch memory and undefined-behaviour bugs the plain build hides; the unit tests
# are quick enough to run twice.
cmake -S . -B build-sanitize -DCMAKE_BUILD_TYPE=Debug -DGSYNC_WERROR=ON -DGSYNC_SANITIZE=ON
cmake --build build-sanitize -j "$jobs" --target unit_tests
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-sanitize --output-on-failure -j "$jobs" -L unit

echo "test.sh: all tests passed"
