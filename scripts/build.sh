#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# build.sh <build-dir> [cmake options...]: configure (once) and build with warnings as errors.
# With ccache installed, compilations are cached across build directories and clones.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dir=$1
shift
launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  # Paths under the checkout are hashed relative to it, so another clone hits the same entries.
  export CCACHE_BASEDIR=$root CCACHE_NOHASHDIR=1
fi
if [[ ! -f $dir/build.ninja ]]; then
  cmake -S "$root" -B "$dir" -G Ninja -DSWITCHBOARD_WERROR=ON "${launcher[@]}" "$@" >/dev/null
fi
cmake --build "$dir" -j"${SWITCHBOARD_JOBS:-$(nproc)}"
