#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# History's cost and recovery time (bench/history.py) in one command: bench/run.sh's preparation
# (install, release build, the baseline's npm packages), then bench/history.py instead of bench/run.py.
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/run.sh" --script history.py --suffix -history "$@"
