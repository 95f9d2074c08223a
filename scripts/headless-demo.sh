#!/usr/bin/env bash
# Headless demo for machines without a display: the seed article's disk
# workflow with tessera-cli instead of qemu-img: create a qcow2 disk, fill it
# like an installed guest (text, binaries, then freed space the guest zeroed),
# and shrink it with `convert -c` and with Tessera's in-place `compact`; then
# boot the RISC-V Linux guest (OpenSBI + Linux 6.1 + BusyBox, built from Debian
# sources by scripts/fixtures) with its shell on this terminal.
set -euo pipefail
build=$1
top=$(cd "$(dirname "$0")/.." && pwd)
cli="$build/app/tessera-cli"
demo=$(mktemp -d "${TMPDIR:-/tmp}/tessera-demo.XXXXXX")
trap 'rm -rf "$demo"' EXIT
cd "$demo"
size() { printf '  %-16s %8s on disk\n' "$1" "$(du -h "$1" | cut -f1)"; }
step() { printf '\n== %s\n' "$*"; }

step "qemu-img create -f qcow2 debian.qcow2 1G   ->   tessera-cli img create"
"$cli" img create -f qcow2 debian.qcow2 1G
size debian.qcow2

step "a guest installs a system: 96 MiB of logs and text, 32 MiB of binaries, then deletes and zeroes 48 MiB"
{ (yes "Dec 28 12:00:00 debian-ppc sshd[4242]: Accepted publickey for user from 10.0.2.2 port 2222" || true) | head -c 96M
  head -c 32M /dev/urandom; } > installed.raw
dd if=/dev/zero of=installed.raw bs=1M seek=40 count=48 conv=notrunc status=none
truncate -s 1G installed.raw
"$cli" img convert -f raw -O qcow2 installed.raw debian.qcow2
"$cli" img info debian.qcow2
"$cli" img check debian.qcow2
size debian.qcow2

step "qemu-img convert -p -c -O qcow2 debian.qcow2 shrinked.qcow2   ->   tessera-cli img convert"
"$cli" img convert -p -c -O qcow2 debian.qcow2 shrinked.qcow2
"$cli" img compare debian.qcow2 shrinked.qcow2
size shrinked.qcow2

step "or shrink in place, safely (copy, verify, atomic rename), with zstd: tessera-cli img compact"
"$cli" img compact -p -c -o compression_type=zstd debian.qcow2
"$cli" img compare debian.qcow2 shrinked.qcow2
"$cli" img info debian.qcow2 | grep -E 'disk size|compression type'

step "sizes"
size installed.raw
size shrinked.qcow2
size debian.qcow2

step "boot the RISC-V Linux guest (fixtures are built once, then cached in ~/.cache/tessera)"
eval "$("$top/scripts/fixtures/build.sh" --quiet all)"
echo "  tessera-cli run -m 512M --bios $OPENSBI_FW_DYNAMIC --kernel $LINUX_IMAGE \\"
echo "      --initrd $INITRAMFS --append 'console=ttyS0'"
if [[ -t 0 ]]; then
  echo "  (a shell appears on this terminal; 'poweroff' ends the VM, Ctrl-A X quits at once)"
  exec "$cli" run -m 512M --bios "$OPENSBI_FW_DYNAMIC" --kernel "$LINUX_IMAGE" \
    --initrd "$INITRAMFS" --append "console=ttyS0"
fi
# Not a terminal: show the guest answering a few commands, then power it off.
# Each command is typed once the shell's prompt is there, as a person would:
# what arrives while the guest boots is dropped before its shell reads it.
# (Named pipes, not coproc: bash closes a coproc's pipes as soon as it exits,
# which would cut off the last lines the guest printed.)
mkfifo to-guest from-guest
"$cli" run -m 512M --bios "$OPENSBI_FW_DYNAMIC" --kernel "$LINUX_IMAGE" \
  --initrd "$INITRAMFS" --append "console=ttyS0" --timeout 300 <to-guest >from-guest 2>&1 &
guest=$!
exec {to_guest}>to-guest {from_guest}<from-guest
# Shows what the guest prints until its prompt ("tessera:/# ") appears;
# fails when the guest ends first or says nothing for 120 s.
await_prompt() {
  local word
  while IFS= read -r -d ' ' -t 120 -u "$from_guest" word; do
    printf '%s ' "$word"
    [[ $word == *'tessera:/#' ]] && return 0
  done
  printf '%s\n' "$word"
  return 1
}
for command in 'uname -a' 'cat /proc/cpuinfo' 'rvcheck | tail -1' 'poweroff'; do
  if ! await_prompt; then
    echo "headless demo: the guest's shell did not come up" >&2
    kill "$guest" 2>/dev/null
    exit 1
  fi
  printf '%s\n' "$command" >&"$to_guest"
done
# The guest powering off; the run's exit status is the demo's.
while IFS= read -r -t 120 -u "$from_guest" line || [[ -n $line ]]; do printf '%s\n' "$line"; done
wait "$guest"
