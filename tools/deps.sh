#!/bin/sh
# Install what Cairn needs to build and run, on Debian: as root through apt-get, otherwise
# print the command to run.
set -e
need=""
command -v gcc >/dev/null 2>&1 || need="$need gcc"
command -v make >/dev/null 2>&1 || need="$need make"
command -v ld >/dev/null 2>&1 || need="$need binutils"
command -v qemu-system-x86_64 >/dev/null 2>&1 || need="$need qemu-system-x86"
command -v timeout >/dev/null 2>&1 || need="$need coreutils"
# ASan and UBSan runtimes for the host unit tests
[ -n "$(gcc -print-file-name=libasan.so 2>/dev/null | grep /)" ] && [ -e "$(gcc -print-file-name=libasan.so)" ] || need="$need libasan8"
[ -e "$(gcc -print-file-name=libubsan.so 2>/dev/null)" ] || need="$need libubsan1"
[ -z "$need" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing:$need"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends $need >/dev/null
else
    echo "Cairn needs:$need"
    echo "Install them with:  sudo apt-get install$need"
    exit 1
fi
