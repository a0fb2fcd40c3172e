#!/bin/bash
# make bench: boot each benchmark root task and print its table. First under QEMU
# -icount shift=0 (deterministic: one TSC tick per guest instruction), then with KVM when
# /dev/kvm works (real cycles), else plain TCG (indicative only). A benchmark's extra QEMU
# arguments (devices it drives) are in bench/<name>/qemu_args.
set -u
kernel=$1
shift
for image in "$@"; do
    qargs=()
    [ -f "bench/$(basename "$image" .elf)/qemu_args" ] && eval "qargs=($(cat "bench/$(basename "$image" .elf)/qemu_args"))"
    echo "== $(basename "$image" .elf): QEMU TCG -icount shift=0 (instructions) =="
    QEMU_ICOUNT=1 TIMEOUT=600 tools/run-qemu.sh "$kernel" "$image" "${qargs[@]}" | grep -a -E '^(\||Cairn benchmarks|timer-read)' | tr -d '\r'
    if [ -r /dev/kvm ] && [ -w /dev/kvm ] && ACCEL=kvm TIMEOUT=30 tools/run-qemu.sh "$kernel" "$image" "${qargs[@]}" > /tmp/cairn-bench-kvm.$$ 2>&1; then
        echo "== $(basename "$image" .elf): KVM (cycles) =="
        grep -a -E '^(\||Cairn benchmarks|timer-read)' /tmp/cairn-bench-kvm.$$ | tr -d '\r'
    else
        echo "== $(basename "$image" .elf): KVM not usable here; TCG timing below is indicative only =="
        TIMEOUT=600 tools/run-qemu.sh "$kernel" "$image" "${qargs[@]}" | grep -a -E '^\|' | tr -d '\r'
    fi
    rm -f /tmp/cairn-bench-kvm.$$
done
