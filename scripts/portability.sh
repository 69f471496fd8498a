#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# portability.sh [--dir <dir>] [--keep-going] [suite...]: proves the relay-only build on clean
# Debian systems without the GUI packages. For each suite (default: bookworm trixie) it makes a
# minimal chroot with debootstrap from the Debian mirror this machine's apt uses (or
# $DEBIAN_MIRROR), copies the checkout into it (tracked and untracked, not ignored, files), and
# runs there, as root, only
#     scripts/bootstrap.sh --relay-only && scripts/test.sh --relay-only
# It then checks that no GUI package (Widgets, Charts, Svg, keychain, Linguist, X) was installed.
# bookworm has Qt 6.4 and hiredis 0.14, trixie (Debian 13) Qt 6.8, GCC 14 and hiredis 1.x.
# The chroots stay in <dir> (default /var/tmp/switchboard-portability/<suite>) and are reused;
# delete one to start from scratch. Needs root; installs debootstrap with apt-get if missing.
# Builds with -j$SWITCHBOARD_JOBS (default 2), one suite after the other.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
base=/var/tmp/switchboard-portability
suites=()
while (($#)); do
  case $1 in
    --dir) base=$2; shift 2 ;;
    -h|--help) sed -n '3,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "portability: unknown option $1" >&2; exit 2 ;;
    *) suites+=("$1"); shift ;;
  esac
done
((${#suites[@]})) || suites=(bookworm trixie)
[[ $(id -u) -eq 0 ]] || { echo "portability: needs root (debootstrap, chroot, mounts)" >&2; exit 2; }

# The mirror apt uses here: the first Debian archive URI of sources.list or a deb822 .sources file.
mirror=${DEBIAN_MIRROR:-}
if [[ -z $mirror ]]; then
  mirror=$( { grep -hsE '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list | awk '{print $2}';
              grep -hsE '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}'; } |
            grep -E '/debian/?$' | head -1)
fi
mirror=${mirror:-http://deb.debian.org/debian}
echo "portability: mirror $mirror" >&2

if ! command -v debootstrap >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
fi

mounted=()
unmount_all() {
  local i
  for ((i = ${#mounted[@]} - 1; i >= 0; --i)); do umount -R -l "${mounted[i]}" 2>/dev/null || true; done
  mounted=()
}
trap unmount_all EXIT

# The console's packages, none of which the relay-only bootstrap may install. (Debian's
# qt6-base-dev itself depends on the QtGui and QtWidgets runtime libraries and the platform
# plugins (qt6-qpa-plugins), so those come along;
# the configure step must not look for them and switchboard-relay must not link them, which is
# checked too.)
GUI_PATTERN='^(qt6-(charts|svg|tools|l10n-tools|translations)|libqt6(charts|svg|opengl6-dev|designer|help|uitools|keychain)|qtkeychain|xvfb|xauth|imagemagick|clang)'

run_suite() {
  local suite=$1 dir=$base/$1
  if [[ ! -f $dir/.switchboard-debootstrapped ]]; then
    echo "== $suite: debootstrap into $dir" >&2
    rm -rf "$dir"
    mkdir -p "$dir"
    debootstrap --variant=minbase "$suite" "$dir" "$mirror" >"$base/$suite-debootstrap.log" 2>&1 ||
      { tail -20 "$base/$suite-debootstrap.log" >&2; return 1; }
    touch "$dir/.switchboard-debootstrapped"
  fi
  echo "== $suite: copy the checkout to $dir/src" >&2
  rm -rf "$dir/src"
  mkdir -p "$dir/src"
  (cd "$root" && git ls-files -z --cached --others --exclude-standard |
     tar --null -T - --ignore-failed-read -cf - 2>/dev/null) | tar -xf - -C "$dir/src"
  cp /etc/resolv.conf "$dir/etc/resolv.conf" 2>/dev/null || true
  # npm in the chroot trusts what this machine trusts (a TLS-inspecting proxy's CA, for one).
  local extra_ca=()
  if [[ -f /etc/ssl/certs/ca-certificates.crt ]]; then
    cp /etc/ssl/certs/ca-certificates.crt "$dir/etc/switchboard-host-ca.crt"
    extra_ca=(NODE_EXTRA_CA_CERTS=/etc/switchboard-host-ca.crt)
  fi
  # Packages must not start services in the chroot: it shares this machine's network, and a
  # redis-server started by its package would listen on port 6379.
  printf '#!/bin/sh\nexit 101\n' >"$dir/usr/sbin/policy-rc.d"
  chmod +x "$dir/usr/sbin/policy-rc.d"
  mount -t proc proc "$dir/proc" && mounted+=("$dir/proc")
  mount -t sysfs sys "$dir/sys" && mounted+=("$dir/sys")
  # /dev recursively, as a slave: nothing mounted below it propagates back to this machine.
  mount --rbind /dev "$dir/dev" && mount --make-rslave "$dir/dev" && mounted+=("$dir/dev")
  echo "== $suite: bootstrap --relay-only, test --relay-only (log: $base/$suite.log)" >&2
  local status=0
  chroot "$dir" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    HOME=/root LANG=C.UTF-8 SWITCHBOARD_JOBS="${SWITCHBOARD_JOBS:-2}" "${extra_ca[@]}" \
    bash -c 'cd /src && scripts/bootstrap.sh --relay-only && scripts/test.sh --relay-only' \
    >"$base/$suite.log" 2>&1 || status=$?
  unmount_all
  grep -E '^(== |[0-9]+% tests passed|Total Test time|The following tests FAILED)|\(Failed\)|\*\*\*' \
    "$base/$suite.log" >&2 || true
  ((status)) && tail -40 "$base/$suite.log" >&2
  # What was installed, looked up and linked is checked whatever the tests said.
  local gui
  gui=$(chroot "$dir" dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' | awk '$1 == "ii" {print $2}' |
        grep -E "$GUI_PATTERN" || true)
  if [[ -n $gui ]]; then
    echo "portability: $suite: the relay-only bootstrap installed GUI packages:" $gui >&2
    status=1
  fi
  gui=$(grep -E '^Qt6(Widgets|Charts|Svg|LinguistTools|Gui)_DIR:PATH=/|^Qt6Keychain_DIR:PATH=/' \
          "$dir/src/build/relay/CMakeCache.txt" || true)
  if [[ -n $gui ]]; then
    echo "portability: $suite: the relay-only configure step looked up GUI modules: $gui" >&2
    status=1
  fi
  gui=$(chroot "$dir" ldd /src/build/relay/app/relay/switchboard-relay | grep -E 'libQt6(Gui|Widgets)' || true)
  if [[ -n $gui ]]; then
    echo "portability: $suite: switchboard-relay links GUI libraries: $gui" >&2
    status=1
  fi
  echo "== $suite:" \
    "$(chroot "$dir" dpkg-query -W -f='Qt ${Version}' qt6-base-dev)," \
    "$(chroot "$dir" dpkg-query -W -f='hiredis ${Version}' libhiredis-dev)," \
    "$(chroot "$dir" gcc -dumpfullversion | sed 's/^/GCC /')" >&2
  if ((status)); then
    echo "portability: $suite FAILED (status $status)" >&2
    return 1
  fi
  echo "== $suite: passed; no GUI package installed, looked up or linked" >&2
}

failed=0
for s in "${suites[@]}"; do
  run_suite "$s" || failed=1
done
exit $failed
