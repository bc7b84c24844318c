# Shared by every tests/*.bats file: `load lib/common`.
# NK_BIN is where the tools are (build/bin, or build/asan/bin for the
# sanitizer run); tests/run.sh sets it.
bats_require_minimum_version 1.5.0
bats_load_library bats-support
bats_load_library bats-assert
bats_load_library bats-file

NK_ROOT=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
: "${NK_BIN:=$NK_ROOT/build/bin}"
export NK_BIN NK_ROOT LC_ALL=C PATH="$NK_BIN:$PATH"

# run_case TOOL CASE: a table-style case kept as files in
# tests/cases/TOOL/CASE/:
#   args    the command-line arguments (shell words; paths are relative to
#           the case directory, which is the working directory)
#   stdin   optional: fed to standard input (else /dev/null)
#   stdout  expected standard output (missing = must be empty)
#   stderr  expected standard error  (missing = must be empty)
#   status  expected exit status     (missing = 0)
# With NK_UPDATE=1 the actual outputs are written as the expected ones
# (review them with git diff before committing).
run_case() {
	local tool=$1 dir=$NK_ROOT/tests/cases/$1/$2
	[ -d "$dir" ] || fail "no case directory $dir"
	local args="" input=/dev/null want_status=0
	[ -f "$dir/args" ] && args=$(cat "$dir/args")
	[ -f "$dir/stdin" ] && input=$dir/stdin
	[ -f "$dir/status" ] && want_status=$(cat "$dir/status")
	cd "$dir"
	run --separate-stderr bash -c "exec $tool $args" <"$input"
	if [ "${NK_UPDATE:-}" = 1 ]; then
		printf '%s' "$output" >"$dir/stdout.new"
		[ -s "$dir/stdout.new" ] && printf '\n' >>"$dir/stdout.new"
		mv "$dir/stdout.new" "$dir/stdout"; [ -s "$dir/stdout" ] || rm "$dir/stdout"
		printf '%s' "$stderr" >"$dir/stderr"
		[ -s "$dir/stderr" ] && printf '\n' >>"$dir/stderr"
		[ -s "$dir/stderr" ] || rm "$dir/stderr"
		if [ "$status" -ne 0 ]; then echo "$status" >"$dir/status"; else rm -f "$dir/status"; fi
		return 0
	fi
	local want_out="" want_err=""
	[ -f "$dir/stdout" ] && want_out=$(cat "$dir/stdout")
	[ -f "$dir/stderr" ] && want_err=$(cat "$dir/stderr")
	if [ "$output" != "$want_out" ]; then
		diff <(printf '%s\n' "$want_out") <(printf '%s\n' "$output") | head -40 >&2
		fail "stdout differs from $dir/stdout"
	fi
	if [ "$stderr" != "$want_err" ]; then
		diff <(printf '%s\n' "$want_err") <(printf '%s\n' "$stderr") | head -40 >&2
		fail "stderr differs from $dir/stderr"
	fi
	[ "$status" -eq "$want_status" ] || fail "exit status $status, expected $want_status"
}
