#!/bin/sh
# The main job until system mode exists: installs, builds, and runs a guest program
# (a small bytecode interpreter compiled for riscv64) under tiercel-riscv64.
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh
sh scripts/build.sh
echo "== tiercel-riscv64 --stats build/bench/bytecode.riscv64 4"
./build/tiercel-riscv64 --stats build/bench/bytecode.riscv64 4
