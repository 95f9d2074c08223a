#!/usr/bin/env bash
# Configures and builds Tessera in build/ (or $TESSERA_BUILD_DIR). Extra
# arguments go to cmake's configure step, e.g. -DTESSERA_SANITIZE=ON.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${TESSERA_BUILD_DIR:-$top/build}
cmake -S "$top" -B "$build" -G Ninja "$@" >/dev/null
cmake --build "$build" -j "${TESSERA_JOBS:-$(nproc)}"
