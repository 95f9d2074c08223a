#!/usr/bin/env bash
# The test command: install dependencies, build, run every test layer except
# `bench`, `campaign` and `install` (an OS install, about an hour: the README
# says how to run it) (unit, system, gui, fuzz), then the unit tests and the Linux device
# tests again under AddressSanitizer + UndefinedBehaviorSanitizer, then the
# tests that run more than one thread under ThreadSanitizer.
# TESSERA_SKIP_SANITIZE=1 skips both sanitizer stages.
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
ctest --test-dir "$TESSERA_BUILD_DIR" -LE 'bench|campaign|install' --output-on-failure -j "$jobs" --output-junit "${junit[-1]}"

if [[ "${TESSERA_SKIP_SANITIZE:-0}" != 1 ]]; then
  asan=$top/build-sanitize
  TESSERA_BUILD_DIR="$asan" "$top/scripts/build.sh" -DTESSERA_SANITIZE=ON
  junit+=("$asan/ctest-unit.xml")
  ctest --test-dir "$asan" -L unit --output-on-failure -j "$jobs" --output-junit "${junit[-1]}"
  # The devices under a real Linux guest, where the guest drives every virtqueue
  # (the default engine, the JIT; the interpreter runs under ASan in the unit tests).
  junit+=("$asan/ctest-devices.xml")
  ctest --test-dir "$asan" -R '^system_linux_((virtio_devices|disk|cdrom|network|input)_jit|vm_bundle)$' \
    --output-on-failure -j "$jobs" --output-junit "${junit[-1]}"

  # ThreadSanitizer: the VM thread against the UI thread (VM window), the
  # monitor and console threads (Linux device tests), and the unit tests that
  # start threads. Reports fail the test (tests/tsan_options.cpp, tests/tsan.supp).
  # Only what these tests run is built (the system tests run tessera-cli).
  tsan=$top/build-tsan
  tsan_tests=(unit_vm_runner_test unit_monitor_test unit_cli_run_test unit_image_jobs_test unit_virtio_gpu_test
              unit_virtio_input_test gui_vm_window_test gui_vm_window_linux_test gui_vm_lifecycle_test
              gui_quit_with_running_vms_test)
  # The GDB stub's server thread against the VM thread it hands its jobs to.
  tsan_system='system_linux_((virtio_devices|disk|cdrom|network|input)_jit|vm_bundle)|system_gdb_(riscv64|riscv64-smp|ppc)_jit'
  TESSERA_BUILD_DIR="$tsan" TESSERA_BUILD_TARGETS="tessera-cli ${tsan_tests[*]}" \
    "$top/scripts/build.sh" -DTESSERA_SANITIZE=thread
  junit+=("$tsan/ctest-threads.xml")
  ctest --test-dir "$tsan" -R "^($(IFS='|'; echo "${tsan_tests[*]}")|$tsan_system)\$" \
    --output-on-failure -j "$jobs" --output-junit "${junit[-1]}"
fi

python3 "$top/scripts/check-skips.py" "${junit[@]}"
