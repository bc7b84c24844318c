#!/bin/sh
# Fuzz the streaming JSON reader (tools/lib/json.c) through nk-fetch-parse
# --all --keep-going on API JSON with AFL++ (Debian afl++).
#   sh tests/fuzz/json.sh [SECONDS]      (default 300)
# Seeds: the real API answers of the tests and small variants (nested
# values, exponents, escapes, an error answer). Work dir: /tmp/nk-fuzz-json.
# Crashes land in its out/default/crashes/; the script prints the counts.
set -eu
cd "$(dirname "$0")/../.."
secs=${1:-300}
w=/tmp/nk-fuzz-json
rm -rf "$w" && mkdir -p "$w/in"
cp tests/fetch/fixtures/*.json "$w/in/"
printf '{"count":1,"data":[{"refYear":2010,"period":"2010","reporterCode":156,"partnerCode":408,"flowCode":"M","classificationCode":"H3","cmdCode":"2709","primaryValue":1.5e3,"cmdDesc":"a\\t\\u00e9\\"","x":{"y":[1,{"z":null}]}}],"error":""}' >"$w/in/small.json"
printf '{"count":0,"data":[],"error":"Invalid period"}' >"$w/in/error.json"
printf '{"validation":{"status":{"name":"Ok"}},"dataset":[{"yr":2015}]}' >"$w/in/legacy.json"
AFL_QUIET=1 afl-cc -O1 -g -D_GNU_SOURCE -DNK_VERSION='"fuzz"' \
	-DNK_DATADIR='"/nonexistent"' -Itools/lib tools/lib/*.c \
	tools/nk-fetch-parse.c -o "$w/nk-fetch-parse" \
	-lisal -lcsv -lyaml -lcurl -lyajl -lz -lm -lpthread
# The binary finds data/countries/m49-iso3.tsv through NK_DATADIR (the repo
# root); without it every input stops at "cannot open" before the JSON is
# read. A seed must convert cleanly, or the fuzzer would test nothing.
NK_DATADIR=$(pwd)
export NK_DATADIR
"$w/nk-fetch-parse" -q --all -k -o /dev/null "$w/in/small.json" ||
	{ echo "json.sh: the seed does not convert; not fuzzing" >&2; exit 1; }
AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
	AFL_NO_UI=1 timeout "$secs" afl-fuzz -i "$w/in" -o "$w/out" -t 2000 -- \
	"$w/nk-fetch-parse" -q --all -k -o /dev/null @@ >"$w/log" 2>&1 || true
grep -E 'execs_done|saved_crashes|saved_hangs' "$w/out/default/fuzzer_stats"
