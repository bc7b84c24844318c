#!/bin/sh
# make bench: run every benchmark script in tests/bench/ (all *.sh but this
# one and lib.sh). They print ratios; they never fail the build.
cd "$(dirname "$0")" || exit 2
for s in *.sh; do
	case $s in run.sh | lib.sh) continue ;; esac
	echo "== $s"
	sh "./$s" || echo "(benchmark $s failed)"
done
exit 0
