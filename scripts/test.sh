#!/usr/bin/env bash
# The test command: install dependencies, build, run every test layer except
# `bench` (unit, system, gui, fuzz), then the unit tests and the Linux device
# tests again under AddressSanitizer + UndefinedBehaviorSanitizer.
# A skipped test fails the run (scripts/check-skips.py says which and why)
# unless TESSERA_ALLOW_SKIPS=1.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/setup.sh"
jobs=${TESSERA_TEST_JOBS:-2}
junit=()

export TESSERA_BUILD_DIR=${TESSERA_BUILD_DIR:-$top/build}
"$top/scripts/build.sh"
junit+=("$TESSERA_BUILD_DIR/ctest-main.xml")
ctest --test-dir "$TESSERA_BUILD_DIR" -LE bench --output-on-failure -j "$jobs" --output-junit "${junit[-1]}"

if [[ "${TESSERA_SKIP_SANITIZE:-0}" != 1 ]]; then
  asan=$top/build-sanitize
  TESSERA_BUILD_DIR="$asan" "$top/scripts/build.sh" -DTESSERA_SANITIZE=ON
  junit+=("$asan/ctest-unit.xml")
  ctest --test-dir "$asan" -L unit --output-on-failure -j "$jobs" --output-junit "${junit[-1]}"
  # The devices under a real Linux guest, where the guest drives every virtqueue.
  junit+=("$asan/ctest-devices.xml")
  ctest --test-dir "$asan" -R '^system_linux_(virtio_devices|disk|cdrom|network|input|vm_bundle)$' \
    --output-on-failure -j "$jobs" --output-junit "${junit[-1]}"
fi

python3 "$top/scripts/check-skips.py" "${junit[@]}"
