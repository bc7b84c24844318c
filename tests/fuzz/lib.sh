# Shared by the tests/fuzz/*.sh fuzzers (sourced, not run): the work
# directory, the AFL++ build of a tool and the AFL++ run. The binaries are
# built in /tmp, so they find the shipped tables through NK_DATADIR, the
# repository root (without it a tool that loads tables stops at "cannot open"
# on every input and the fuzzer tests nothing).
set -eu
cd "$(dirname "$0")/../.."
NK_DATADIR=$(pwd)
export NK_DATADIR

# fuzz_setup NAME: w=/tmp/nk-fuzz-NAME, emptied, with an empty in/ for seeds.
fuzz_setup() {
	w=/tmp/nk-fuzz-$1
	rm -rf "$w" && mkdir -p "$w/in"
}

# fuzz_build TOOL: $w/TOOL, tools/TOOL.c (and its parts in tools/TOOL/, as
# the Makefile builds it) and the library built with afl-cc.
fuzz_build() {
	AFL_QUIET=1 afl-cc -O1 -g -D_GNU_SOURCE -DNK_VERSION='"fuzz"' \
		-DNK_DATADIR='"/nonexistent"' -Itools/lib tools/lib/*.c \
		"tools/$1.c" $(ls "tools/$1"/*.c 2>/dev/null) -o "$w/$1" \
		-lisal -lcsv -lyaml -lcurl -lyajl -lz -lm -lpthread
}

# fuzz_run SECONDS [afl-fuzz options] -- COMMAND...: fuzz the seeds in $w/in
# for SECONDS (an input running over 2 s is a hang), then print the counts.
# Crashes and hangs land in $w/out/default/.
fuzz_run() {
	secs=$1
	shift
	AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 \
		timeout "$secs" afl-fuzz -i "$w/in" -o "$w/out" -t 2000 "$@" \
		>"$w/log" 2>&1 || true
	grep -E 'execs_done|saved_crashes|saved_hangs' "$w/out/default/fuzzer_stats"
}
