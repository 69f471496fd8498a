#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# build.sh <build-dir> [cmake options...]: configure (once) and build with warnings as errors.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dir=$1
shift
if [[ ! -f $dir/build.ninja ]]; then
  cmake -S "$root" -B "$dir" -G Ninja -DSWITCHBOARD_WERROR=ON "$@" >/dev/null
fi
cmake --build "$dir" -j"$(nproc)"
