#!/bin/sh
# Install the Debian packages nktrade builds and tests with, if missing.
# As root: apt-get installs them (non-interactively). Otherwise: print the
# command to run. Used by `make deps`, `make check` and `make run`.
# make run draws its charts with gnuplot-nox and writes its report with
# python3-yaml; the tests open the report in chromium (headless).
# `deps.sh fuzz` (make fuzz only) is the other list: the libraries the
# harnesses link, and clang with its libFuzzer and sanitizer runtimes
# (libclang-rt-dev: clang only recommends it); make check replays the fuzz
# corpora with gcc and never needs clang.
set -u
BUILD="gcc make libc6-dev libisal-dev libcsv-dev libyaml-dev zlib1g-dev
libcurl4-openssl-dev libyajl-dev"
case ${1:-} in
fuzz) PKGS="$BUILD clang libclang-rt-dev" ;;
*) PKGS="${NK_PKGS:-$BUILD help2man bats bats-support bats-assert bats-file mawk python3 time
python3-yaml gnuplot-nox chromium}" ;;
esac
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "nktrade: missing Debian packages:$missing" >&2
	echo "nktrade: run as root:  apt-get install$missing" >&2
	exit 1
fi
echo "nktrade: installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq </dev/null >&2 || exit 1
apt-get install -y -qq --no-install-recommends $missing </dev/null >&2 || exit 1
