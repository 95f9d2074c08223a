#!/usr/bin/env bash
# Configures and builds Tessera in build/ (or $TESSERA_BUILD_DIR). Extra
# arguments go to cmake's configure step, e.g. -DTESSERA_SANITIZE=ON.
# TESSERA_BUILD_TARGETS (space-separated) builds only those targets.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${TESSERA_BUILD_DIR:-$top/build}
cmake -S "$top" -B "$build" -G Ninja "$@" >/dev/null
# shellcheck disable=SC2086 # the target list is meant to split into words
cmake --build "$build" -j "${TESSERA_JOBS:-$(nproc)}" ${TESSERA_BUILD_TARGETS:+--target $TESSERA_BUILD_TARGETS}
