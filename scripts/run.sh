#!/usr/bin/env bash
# The run command: install dependencies, build, then start Tessera: the GUI when
# a display is available, otherwise a headless demo with tessera-cli.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/setup.sh"
"$top/scripts/build.sh"
build=${TESSERA_BUILD_DIR:-$top/build}

if [[ -n "${DISPLAY:-}" || -n "${WAYLAND_DISPLAY:-}" ]]; then
  # The demo VM a first start puts in the library: the Linux + BusyBox guest the
  # tests use, built from Debian's sources (minutes the first time, cached after).
  eval "$("$top/scripts/fixtures/build.sh" --quiet linux initramfs)"
  export TESSERA_DEMO_KERNEL=$LINUX_IMAGE TESSERA_DEMO_INITRD=$INITRAMFS
  exec "$build/app/tessera" "$@"
fi
exec "$top/scripts/headless-demo.sh" "$build"
