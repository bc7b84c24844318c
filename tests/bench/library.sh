#!/bin/sh
# Library read+write throughput: tests/bench/passthru (every row read, checked,
# split into fields and written back field by field) against cat and
# mawk '{print}' on the same generated 10 M-row contract TSV, output to
# /dev/null; then max RSS at 1 M and 10 M rows (memory must stay flat).
. "$(dirname "$0")/lib.sh"
f=$(bench_tsv)
bytes=$(stat -c %s "$f")
echo "library pass-through, $(wc -l <"$f") lines, $((bytes / 1000000)) MB, median of $NK_BENCH_RUNS"
"$B/bench/passthru" "$f" | cmp -s - "$f" || echo "  WARNING: passthru output differs from its input"
bench passthru "$B/bench/passthru $f >/dev/null" \
	cat "cat $f >/dev/null" \
	mawk-print "mawk '{print}' $f >/dev/null" \
	passthru-pipe "$B/bench/passthru $f | cat >/dev/null" \
	cat-pipe "cat $f | cat >/dev/null"
report "$bytes" passthru cat mawk-print
report "$bytes" passthru-pipe cat-pipe
head -n 1000001 "$f" >"$NK_BENCH_DIR/contract-1M.tsv"
NK_BENCH_RUNS=1 bench passthru-1M "$B/bench/passthru $NK_BENCH_DIR/contract-1M.tsv >/dev/null" \
	passthru-10M "$B/bench/passthru $f >/dev/null"
echo "  max RSS: $(maxrss passthru-1M) KB at 1 M rows, $(maxrss passthru-10M) KB at 10 M rows"

# gzip input: the library inflates on a second thread (ISA-L) while the
# caller parses; compare with igzip -dc alone.
if command -v igzip >/dev/null; then
	gz=$f.gz
	[ -s "$gz" ] || igzip -1 -c "$f" >"$gz"
	gbytes=$(stat -c %s "$gz")
	echo "gzip input, $((gbytes / 1000000)) MB compressed (igzip -1)"
	bench passthru-gz "$B/bench/passthru $gz >/dev/null" \
		igzip-dc "igzip -dc $gz >/dev/null" \
		zcat "zcat $gz >/dev/null"
	report "$gbytes" passthru-gz igzip-dc zcat
fi
