#!/usr/bin/env bash
# Headless demo for machines without a display: what `tessera-cli` does with a
# disk image, the seed article's workflow (create, fill, shrink) end to end.
set -euo pipefail
build=$1
cli="$build/app/tessera-cli"
demo=$(mktemp -d "${TMPDIR:-/tmp}/tessera-demo.XXXXXX")
trap 'rm -rf "$demo"' EXIT
set -x
"$cli" img create -f qcow2 "$demo/disk.qcow2" 1G
"$cli" img info "$demo/disk.qcow2"
"$cli" img check "$demo/disk.qcow2"
