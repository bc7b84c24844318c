#!/bin/sh
# The default pipeline (`make run`): every stage that exists, in order, on the
# inputs shipped in data/. Output goes to build/run/.
set -eu
cd "$(dirname "$0")/.."
B=build/bin
out=build/run
mkdir -p "$out"
have() { [ -x "$B/$1" ]; }

if ! have nk-fetch-parse; then
	echo "make run: nk-fetch-parse is not built yet; nothing to run" >&2
	exit 0
fi
