#!/usr/bin/env bash
# Install the named Debian packages that are missing (fonts for the PDF report, tools for tests).
# Usage: scripts/ensure_debian_packages.sh [--optional] PACKAGE...
# With --optional a machine without apt-get (or without the right to use it) only gets a warning.
set -euo pipefail
optional=0
if [ "${1:-}" = "--optional" ]; then optional=1; shift; fi
missing=()
for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
if command -v apt-get >/dev/null 2>&1 && { [ -z "$SUDO" ] || sudo -n true 2>/dev/null; }; then
    echo "==> installing from Debian's packages: ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
    exit 0
fi
if [ "$optional" -eq 1 ]; then
    echo "note: could not install ${missing[*]} (no apt-get or no root); the PDF report will show '?' for emoji." >&2
    exit 0
fi
echo "Missing Debian packages: ${missing[*]}; install them and run again." >&2
exit 1
