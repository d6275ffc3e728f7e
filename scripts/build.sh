#!/bin/sh
# Configures (once) and builds tiercel in ./build.
set -eu
cd "$(dirname "$0")/.."
if [ ! -f build/build.ninja ]; then
    meson setup build
fi
meson compile -C build -j2
