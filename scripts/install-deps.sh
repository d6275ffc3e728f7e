#!/bin/sh
# Installs what tiercel needs to build, test and benchmark, from Debian 12's packages.
# Run as root on a fresh machine; safe to run again.
set -eu
PACKAGES="
  meson ninja-build pkg-config gcc g++ clang libclang-rt-14-dev
  llvm-19-dev libxml2-dev libxml2-utils zlib1g-dev libzstd-dev
  libcriterion-dev libgtest-dev
  gcc-riscv64-linux-gnu g++-riscv64-linux-gnu binutils-riscv64-linux-gnu
  qemu-user python3
"
missing=""
for p in $PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    # shellcheck disable=SC2086
    apt-get install -y -q --no-install-recommends $missing
fi
