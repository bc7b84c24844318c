#!/bin/sh
# Run every test: the C unit tests and the bats suites, first on build/ then
# on the ASan+UBSan build in build/asan/. Ends with one line
# "N passed, N failed" (counted here; bats' TAP is not read by CI).
set -u
cd "$(dirname "$0")/.." || exit 2
export LC_ALL=C
export ASAN_OPTIONS=abort_on_error=0:exitcode=99:detect_leaks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=99
pass=0
fail=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

for b in build build/asan; do
	[ -d "$b/bin" ] || { echo "tests: $b not built" >&2; fail=$((fail + 1)); continue; }
	for u in "$b"/unit/*; do
		[ -x "$u" ] || continue
		echo "# unit $u"
		"$u" >"$log" 2>&1
		rc=$?
		cat "$log"
		line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -1)
		if [ -z "$line" ]; then
			echo "not ok - $u crashed or printed no count (exit $rc)"
			fail=$((fail + 1))
			continue
		fi
		p=${line%% passed*}
		f=${line#*, }
		f=${f%% failed}
		pass=$((pass + p))
		fail=$((fail + f))
		[ "$rc" -eq 0 ] || [ "$f" -gt 0 ] || { echo "not ok - $u exit $rc"; fail=$((fail + 1)); }
	done
	set -- tests/*.bats
	[ -f "$1" ] || continue
	echo "# bats with NK_BIN=$b/bin"
	NK_BIN=$(pwd)/$b/bin bats --tap "$@" >"$log" 2>&1
	cat "$log"
	planned=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$log" | head -1)
	ok=$(grep -c '^ok ' "$log")
	skip=$(grep -c '^ok .* # skip' "$log")
	bad=$(grep -c '^not ok ' "$log")
	ok=$((ok - skip))
	pass=$((pass + ok))
	fail=$((fail + bad))
	# a suite that died before running all it planned
	missing=$(( ${planned:-0} - ok - skip - bad ))
	[ "$missing" -gt 0 ] && { echo "not ok - $missing planned tests did not run"; fail=$((fail + missing)); }
	[ -z "$planned" ] && { echo "not ok - bats printed no plan"; fail=$((fail + 1)); }
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
