#!/usr/bin/env bash
# scripts/chromium.sh: prints the path of a Chromium the browser tests can
# drive (cmd/api/browser_test.go), installing Debian's chromium package
# with apt-get when /usr/bin/chromium is missing — as root, or through
# sudo when it works without a password. Everything but the path goes to
# stderr, so BARRAISER_CHROMIUM="$(scripts/chromium.sh)" works.
#
#   scripts/chromium.sh           print the path, installing when needed
#   scripts/chromium.sh --check   print the path, or say what is missing (exit 1)
#
# BARRAISER_CHROMIUM, when it names an executable, is used as is.
set -euo pipefail

path=/usr/bin/chromium

if [ -n "${BARRAISER_CHROMIUM:-}" ]; then
	if [ -x "$BARRAISER_CHROMIUM" ]; then
		echo "$BARRAISER_CHROMIUM"
		exit 0
	fi
	echo "chromium.sh: BARRAISER_CHROMIUM=$BARRAISER_CHROMIUM is not an executable" >&2
	exit 1
fi
if [ -x "$path" ]; then
	echo "$path"
	exit 0
fi
if [ "${1:-}" = "--check" ]; then
	echo "chromium.sh: $path is missing; scripts/chromium.sh installs it (Debian: apt-get install chromium)" >&2
	exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
	echo "chromium.sh: $path is missing and there is no apt-get here; install Chromium and set BARRAISER_CHROMIUM to it" >&2
	exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
	as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	as_root=(sudo -n)
else
	echo "chromium.sh: $path is missing and installing it needs root: run 'apt-get install -y chromium' as root (or give this user passwordless sudo)" >&2
	exit 1
fi

echo "chromium.sh: installing Debian's chromium package" >&2
export DEBIAN_FRONTEND=noninteractive
# Try the package lists already on the machine first; refresh them only
# when that fails (stale lists point at removed package versions).
if ! "${as_root[@]}" apt-get install -y -q chromium >&2; then
	"${as_root[@]}" apt-get update -q >&2
	"${as_root[@]}" apt-get install -y -q chromium >&2
fi
if [ ! -x "$path" ]; then
	echo "chromium.sh: installed the chromium package but $path is still missing" >&2
	exit 1
fi
echo "$path"
