#!/bin/sh
# Turn the text symbols of a linked kernel into an assembly table for panic backtraces.
# usage: ksyms.sh kernel.elf > ksyms.S
set -e
nm -n "$1" | awk '
$2 ~ /^[tTwW]$/ && $3 !~ /^\./ { addr[n] = $1; name[n] = $3; n++ }
END {
    print "    .section .ksyms, \"a\""
    print "    .balign 8"
    print "    .global ksyms_table, ksyms_count"
    print "ksyms_count:"
    print "    .quad " n
    print "ksyms_table:"
    for (i = 0; i < n; i++) printf "    .quad 0x%s, .Lname%d\n", addr[i], i
    for (i = 0; i < n; i++) printf ".Lname%d: .asciz \"%s\"\n", i, name[i]
}'
