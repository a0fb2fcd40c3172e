#!/bin/bash
# Cairn's test harness: host unit tests, QEMU system tests and examples. Prints one line per
# case and ends with "N passed, N failed"; exits non-zero if anything failed.
#
#   harness.sh BUILD_DIR KERNEL32
#
# Host tests: every executable in BUILD_DIR/host-tests; each prints "PASS: name" or
#   "FAIL: name: why" lines and exits 0 only if all passed.
# System tests (tests/system/NAME, image BUILD_DIR/tests/NAME.elf): the root task prints
#   PASS/FAIL lines and exits 0. Optional files next to its sources:
#     expect  lines that must appear in the console output, in this order
#     alive   present: the root task does not exit; after the expected lines appear, QEMU
#             must still be running (the kernel survived) 2 seconds later
#     timeout seconds to allow (default 60)
#     qemu_args  extra QEMU arguments, shell-quoted (e.g. -append "test_preempt_every=3 check_invariants")
#     status  the run-qemu.sh status expected instead of 0 (125: the kernel stopped QEMU)
# In expect files, a line starting with ~ is an extended regular expression for a whole line.
# Examples (examples/NAME, image BUILD_DIR/examples/NAME.elf): expected.txt lists the lines
#   that must appear in order; the root task must exit 0, or, with an `alive` file, the
#   kernel must keep running after the expected lines (a root task that suspends itself).
# The out-of-tree example (sdk-example/): copied outside the tree, built with mk/sdk.mk and
#   booted with `make boot`; its expected.txt is checked the same way.
set -u
build=$1 kernel=$2
logs=$build/test-logs
mkdir -p "$logs"
passed=0 failed=0

pass() { echo "PASS: $1"; passed=$((passed + 1)); }
fail() { echo "FAIL: $1"; failed=$((failed + 1)); }

# count_cases LOG PREFIX: relay PASS/FAIL lines of a log and count them
count_cases() {
    local log=$1 prefix=$2 n=0 line
    while IFS= read -r line; do
        line=${line%$'\r'}
        case "$line" in
        PASS:*) echo "PASS: $prefix${line#PASS: }"; passed=$((passed + 1)); n=$((n + 1)) ;;
        FAIL:*) echo "FAIL: $prefix${line#FAIL: }"; failed=$((failed + 1)); n=$((n + 1)) ;;
        esac
    done < <(grep -a -E '^(PASS|FAIL):' "$log" | tr -d '\r')
    return $((n == 0))
}

# expect_in_order LOG FILE: every line of FILE appears in LOG as a whole line, in order.
# Lines starting with ~ are extended regular expressions.
expect_in_order() {
    local log=$1 want line pos=0 n
    local text
    text=$(tr -d '\r' < "$log")
    while IFS= read -r want || [ -n "$want" ]; do
        [ -z "$want" ] && continue
        if [ "${want:0:1}" = "~" ]; then
            n=$(tail -n +$((pos + 1)) <<< "$text" | grep -n -m1 -x -E -e "${want:1}" | cut -d: -f1)
        else
            n=$(tail -n +$((pos + 1)) <<< "$text" | grep -n -m1 -x -F -e "$want" | cut -d: -f1)
        fi
        if [ -z "$n" ]; then
            echo "missing line: $want"
            return 1
        fi
        pos=$((pos + n))
    done < "$2"
}

# check_alive NAME IMAGE EXPECT LIMIT LOG [QEMU ARGS]: for a root task that never exits (it
# halts, faults or suspends itself): the expected lines must appear, and QEMU must still be
# running 2 seconds later (the kernel survived); then QEMU is stopped.
check_alive() {
    local name=$1 image=$2 expect=$3 limit=$4 log=$5 ok=0 qpid
    shift 5
    TIMEOUT=$limit tools/run-qemu.sh "$kernel" "$image" "$@" > "$log" 2>&1 &
    qpid=$!
    for _ in $(seq $((limit * 10))); do
        if expect_in_order "$log" "$expect" >/dev/null; then ok=1; break; fi
        kill -0 $qpid 2>/dev/null || break
        sleep 0.1
    done
    if [ $ok = 1 ]; then
        sleep 2
        if kill -0 $qpid 2>/dev/null; then
            pass "$name: expected output, and the kernel keeps running"
        else
            fail "$name: QEMU stopped after the expected output (see $log)"
        fi
    else
        fail "$name: $(expect_in_order "$log" "$expect") (see $log)"
    fi
    pkill -P $qpid 2>/dev/null; kill $qpid 2>/dev/null; wait $qpid 2>/dev/null
}

# ---- host unit tests ----
for t in "$build"/host-tests/*; do
    [ -x "$t" ] || continue
    name=host/$(basename "$t")
    log=$logs/$(basename "$t").log
    "$t" > "$log" 2>&1
    status=$?
    count_cases "$log" "$name: " || fail "$name: printed no test results"
    if [ $status != 0 ] && ! grep -q '^FAIL:' "$log"; then
        fail "$name: exited with status $status (see $log)"
        tail -5 "$log" | sed 's/^/    /'
    fi
done

# ---- system tests ----
for dir in tests/system/*/; do
    [ "$(basename "$dir")" = common ] && continue
    name=$(basename "$dir")
    image=$build/tests/$name.elf
    log=$logs/system-$name.log
    limit=60 want=0 qargs=()
    [ -f "$dir/timeout" ] && limit=$(cat "$dir/timeout")
    [ -f "$dir/status" ] && want=$(cat "$dir/status")
    [ -f "$dir/qemu_args" ] && eval "qargs=($(cat "$dir/qemu_args"))" # shell quoting: -append "a b"
    if [ -f "$dir/alive" ]; then
        check_alive "system/$name" "$image" "$dir/expect" "$limit" "$log" "${qargs[@]}"
        count_cases "$log" "system/$name: " || true
        continue
    fi
    TIMEOUT=$limit tools/run-qemu.sh "$kernel" "$image" "${qargs[@]}" > "$log" 2>&1
    status=$?
    count_cases "$log" "system/$name: " || [ -f "$dir/expect" ] ||
        fail "system/$name: printed no test results (see $log)"
    if [ -f "$dir/expect" ]; then
        if why=$(expect_in_order "$log" "$dir/expect"); then
            pass "system/$name: expected console output"
        else
            fail "system/$name: $why (see $log)"
        fi
    fi
    if [ "$want" != 0 ]; then
        if [ $status = "$want" ]; then pass "system/$name: run ended with status $want"
        else fail "system/$name: run ended with status $status, expected $want (see $log)"; fi
        continue
    fi
    case $status in
    0) ;;
    124) fail "system/$name: timed out after ${limit}s (see $log)" ;;
    125) fail "system/$name: QEMU stopped without an exit status: kernel panic? (see $log)" ;;
    *) fail "system/$name: root task exited with status $status (see $log)" ;;
    esac
done

# ---- examples ----
for dir in examples/*/; do
    name=$(basename "$dir")
    [ -f "$dir/expected.txt" ] || { fail "examples/$name: no expected.txt"; continue; }
    log=$logs/example-$name.log
    if [ -f "$dir/alive" ]; then
        check_alive "examples/$name" "$build/examples/$name.elf" "$dir/expected.txt" 60 "$log"
        continue
    fi
    TIMEOUT=60 tools/run-qemu.sh "$kernel" "$build/examples/$name.elf" > "$log" 2>&1
    status=$?
    if [ $status != 0 ]; then
        fail "examples/$name: exit status $status (see $log)"
    elif why=$(expect_in_order "$log" "$dir/expected.txt"); then
        pass "examples/$name: console output as expected"
    else
        fail "examples/$name: $why (see $log)"
    fi
done

# ---- a project outside the tree (mk/sdk.mk) ----
# sdk-example/ is copied to a temporary directory and built there against this tree (kernel
# included), then booted with `make boot`; its expected.txt is checked like an example's.
if [ -d sdk-example ]; then
    log=$logs/sdk-example.log
    tmp=$(mktemp -d)
    cp -r sdk-example "$tmp/"
    rm -rf "$tmp/sdk-example/build"
    if ! make -C "$tmp/sdk-example" -j2 CAIRN="$PWD" BUILD=build > "$log" 2>&1; then
        fail "sdk-example: the out-of-tree build failed (see $log)"
    else
        TIMEOUT=60 make -s -C "$tmp/sdk-example" CAIRN="$PWD" BUILD=build boot >> "$log" 2>&1
        status=$?
        if [ $status != 0 ]; then
            fail "sdk-example: built outside the tree, but the boot ended with status $status (see $log)"
        elif why=$(expect_in_order "$log" sdk-example/expected.txt); then
            pass "sdk-example: built outside the tree with mk/sdk.mk, booted, output as expected"
        else
            fail "sdk-example: $why (see $log)"
        fi
    fi
    rm -rf "$tmp"
fi

echo "$passed passed, $failed failed"
[ $failed = 0 ]
