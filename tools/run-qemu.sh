#!/bin/bash
# Boot Cairn in QEMU: run-qemu.sh [--interactive] [--gdb] KERNEL32 ROOT_ELF [extra QEMU args]
# Serial goes to stdout. The root task's exit status comes back through QEMU's debug-exit
# device and becomes this script's status; 124 means the timeout (TIMEOUT, seconds) expired,
# 125 that QEMU stopped some other way (kernel panic, reset, QEMU error).
# ACCEL=tcg (default) | kvm | auto: auto uses KVM when /dev/kvm works.
set -u
interactive=0 gdb=0
while [ $# -gt 0 ]; do
    case "$1" in
    --interactive) interactive=1; shift ;;
    --gdb) gdb=1; shift ;;
    *) break ;;
    esac
done
kernel=$1 root=$2
shift 2
TIMEOUT=${TIMEOUT:-60}
ACCEL=${ACCEL:-tcg}

# seL4's QEMU CPU for x86_64 (abi §12.7), minus nothing Cairn needs.
cpu="Nehalem,-vme,+pdpe1gb,-xsave,-xsaveopt,-xsavec,-fsgsbase,-invpcid,+syscall,+lm,enforce"
accel="-accel tcg"
if [ "$ACCEL" = kvm ] || { [ "$ACCEL" = auto ] && [ -r /dev/kvm ] && [ -w /dev/kvm ]; }; then
    accel="-enable-kvm"
    cpu="host"
fi
args=(-machine pc -cpu "$cpu" $accel -m 512M -display none -no-reboot
      -device isa-debug-exit,iobase=0xf4,iosize=0x04
      -kernel "$kernel" -initrd "$root")
if [ -n "${QEMU_ICOUNT:-}" ]; then
    args+=(-icount "shift=0,align=off,sleep=off")
fi
[ $gdb = 1 ] && args+=(-s -S)
if [ $interactive = 1 ]; then
    echo "(QEMU: press Ctrl-A then X to quit)"
    qemu-system-x86_64 "${args[@]}" -serial mon:stdio -monitor none "$@"
    status=$?
else
    timeout --foreground -k 5 "$TIMEOUT" qemu-system-x86_64 "${args[@]}" -serial stdio -monitor none "$@" </dev/null
    status=$?
    [ $status = 124 ] && { echo; echo "[run-qemu: timed out after ${TIMEOUT}s]"; exit 124; }
fi
# debug-exit gives (value << 1) | 1; anything even is not a root task's exit.
if [ $((status & 1)) = 1 ]; then
    value=$((status >> 1))
    [ $value = 127 ] && exit 125 # the kernel's own failure code (panic)
    exit $value
fi
exit 125
