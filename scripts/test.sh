#!/usr/bin/env bash
# The test command: install dependencies, build, run every test layer except
# `bench` (unit, system, gui, fuzz), then the unit tests and the Linux device
# tests again under AddressSanitizer + UndefinedBehaviorSanitizer.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/setup.sh"

export TESSERA_BUILD_DIR=${TESSERA_BUILD_DIR:-$top/build}
"$top/scripts/build.sh"
ctest --test-dir "$TESSERA_BUILD_DIR" -LE bench --output-on-failure -j "${TESSERA_TEST_JOBS:-2}"

if [[ "${TESSERA_SKIP_SANITIZE:-0}" != 1 ]]; then
  TESSERA_BUILD_DIR="$top/build-sanitize" "$top/scripts/build.sh" -DTESSERA_SANITIZE=ON
  ctest --test-dir "$top/build-sanitize" -L unit --output-on-failure -j "${TESSERA_TEST_JOBS:-2}"
  # The devices under a real Linux guest, where the guest drives every virtqueue.
  ctest --test-dir "$top/build-sanitize" -R '^system_linux_(virtio_devices|disk|cdrom|network|input|vm_bundle)$' \
    --output-on-failure -j "${TESSERA_TEST_JOBS:-2}"
fi
