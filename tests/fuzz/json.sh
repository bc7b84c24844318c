#!/bin/sh
# Fuzz the streaming JSON reader (tools/lib/json.c) through nk-fetch-parse
# --all --keep-going on API JSON with AFL++ (Debian afl++).
#   sh tests/fuzz/json.sh [SECONDS]      (default 300)
# Seeds: the real API answers of the tests and small variants (nested
# values, exponents, escapes, an error answer). Work dir: /tmp/nk-fuzz-json.
# Crashes land in its out/default/crashes/; the script prints the counts.
. "$(dirname "$0")/lib.sh"
fuzz_setup json
cp tests/fetch/fixtures/*.json "$w/in/"
printf '{"count":1,"data":[{"refYear":2010,"period":"2010","reporterCode":156,"partnerCode":408,"flowCode":"M","classificationCode":"H3","cmdCode":"2709","primaryValue":1.5e3,"cmdDesc":"a\\t\\u00e9\\"","x":{"y":[1,{"z":null}]}}],"error":""}' >"$w/in/small.json"
printf '{"count":0,"data":[],"error":"Invalid period"}' >"$w/in/error.json"
printf '{"validation":{"status":{"name":"Ok"}},"dataset":[{"yr":2015}]}' >"$w/in/legacy.json"
fuzz_build nk-fetch-parse
# A seed must convert cleanly, or the fuzzer would test nothing.
"$w/nk-fetch-parse" -q --all -k -o /dev/null "$w/in/small.json" ||
	{ echo "json.sh: the seed does not convert; not fuzzing" >&2; exit 1; }
fuzz_run "${1:-300}" -- "$w/nk-fetch-parse" -q --all -k -o /dev/null @@
