#!/bin/sh
# pipelines/scale/parallel.sh SO: the partitions that `make -f pipelines/
# scale.mk` split into SO/part-*.tsv, run by GNU parallel instead of make,
# on the machines of $NK_SSHLOGIN (parallel's --sshlogin; default ':', this
# machine), then merged into SO/parallel/summary-REPORT.tsv. A remote machine
# needs this checkout (with build/bin) at the same path and SO on a shared
# file system (or add parallel's --transferfile/--return; see SCALE.md).
set -eu
so=${1:?usage: parallel.sh SO}
cd "$(dirname "$0")/../.."
command -v parallel >/dev/null || { echo "parallel.sh: needs GNU parallel (Debian parallel)" >&2; exit 1; }
reports="year partner section chapter stage"
out=$so/parallel
mkdir -p "$out"
so=$(cd "$so" && pwd)
out=$(cd "$out" && pwd)
export NK_BIN="${NK_BIN:-$PWD/build/bin}"
ls "$so" | sed -n 's/^part-\([0-9][0-9]*\|mou\)\.tsv$/\1/p' |
	parallel --will-cite --halt now,fail=1 --sshlogin "${NK_SSHLOGIN:-:}" -j "${NK_JOBS:-2}" \
		"cd $PWD && NK_BIN=$NK_BIN sh pipelines/scale/part.sh \$( [ {} = mou ] && echo mou || echo $so/part-{}.tsv ) $out/part-{} $reports"
for r in $reports; do
	"$NK_BIN/nk-summarize" -q --merge -o "$out/summary-$r.tsv" "$out"/part-*."$r".partial
done
