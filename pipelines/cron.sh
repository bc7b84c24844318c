#!/bin/sh
# pipelines/cron.sh - the dataset build, for cron. An example crontab line
# (04:17 every day; cron mails what the wrapper prints, and it prints only on
# failure, one line pointing at the log):
#
#   17 4 * * *  cd /srv/nktrade && COMTRADE_KEY=... sh pipelines/cron.sh
#
# What it does:
#   - takes a lock (flock), so two runs never overlap: a run that finds the
#     lock held says so and exits 75 at once (EX_TEMPFAIL: try again later);
#   - when $COMTRADE_KEY is set, also downloads the years after the shipped
#     data ($NK_FETCH_PERIODS, default 2023 to last year) with
#     nk-fetch-parse --fetch; its cache keeps reruns cheap (only a new query
#     goes to the API);
#   - builds into a copy of the current build (make reruns only what
#     changed), appending everything to the log;
#   - publishes atomically: $NK_OUT (default out) is a symbolic link to the
#     newest complete build in .NAME.builds/ beside it, switched with one
#     rename(2), so a reader sees the old build or the new one, never half of
#     one. A failed build is not published: the previous one stays, and the
#     wrapper exits with make's status (1 or 2) after one line on stderr.
#     The build before the current one is kept until the next success, for
#     readers still inside it.
#
# The first run over a plain out/ directory (from `make run`) moves it into
# .out.builds/ and puts the link in its place: only then is there a moment
# without out/. Arguments after `--` replace the make arguments (default:
# `run`), e.g. `sh pipelines/cron.sh -- run NKITW_RULES=my.yaml`.
#
# Environment: NK_OUT (published path), NK_LOG (default NK_OUT.log),
# NK_FETCH_PERIODS, COMTRADE_KEY, MAKE (default make).
set -u
cd "$(dirname "$0")/.." || exit 2
export LC_ALL=C

pub=${NK_OUT:-out}
pub=${pub%/}
log=${NK_LOG:-$pub.log}
pubdir=$(dirname "$pub")
name=$(basename "$pub")
builds=$pubdir/.$name.builds
make_cmd=${MAKE:-make}

if [ "${1:-}" = "--" ]; then
	shift
else
	[ $# -eq 0 ] || { echo "usage: cron.sh [-- MAKE-ARGUMENTS...]" >&2; exit 2; }
	set -- run
fi

mkdir -p "$builds" || exit 1
exec 9>>"$builds/lock" || exit 1
if ! flock -n 9; then
	echo "nktrade cron: another build holds $builds/lock; not started" >&2
	echo "$(date -u +%FT%TZ) not started: another build holds the lock" >>"$log"
	exit 75
fi

say() { echo "$(date -u +%FT%TZ) $*" >>"$log"; }
fail() {
	say "FAILED ($1): $2; $pub still shows the previous build"
	echo "nktrade cron: build failed ($2), exit $1; $pub unchanged; see $log" >&2
	exit "$1"
}

next=$builds/next
rm -rf "$next" || fail 1 "cannot remove $next"
if [ -d "$pub" ]; then
	# A copy with its times kept (cp -a), so make reruns only what changed;
	# reflinks where the file system has them.
	cp -a --reflink=auto "$pub/." "$next/" 2>>"$log" || fail 1 "cannot copy $pub"
fi

fetch=""
if [ -n "${COMTRADE_KEY:-}" ]; then
	last=$(($(date -u +%Y) - 1))
	periods=${NK_FETCH_PERIODS:-$(seq -s, 2023 "$last")}
	[ -n "$periods" ] && fetch="FETCH_PERIODS=$periods"
fi

say "start: $make_cmd $* OUT=$next $fetch"
# shellcheck disable=SC2086 # $fetch is one word or none
$make_cmd --no-print-directory "$@" OUT="$next" $fetch </dev/null >>"$log" 2>&1
rc=$?
[ "$rc" -eq 0 ] || fail "$rc" "make exited $rc"

# Publish: the new build gets its own name, the link is switched in one rename.
stamp=$(date -u +%Y%m%dT%H%M%SZ)
i=0
while [ -e "$builds/$stamp-$i" ]; do i=$((i + 1)); done
snap=$stamp-$i
mv "$next" "$builds/$snap" || fail 1 "cannot rename $next"
old=""
if [ -L "$pub" ]; then
	old=$(readlink "$pub")
elif [ -d "$pub" ]; then
	mv "$pub" "$builds/plain-$snap" || fail 1 "cannot move the plain directory $pub"
	old=.$name.builds/plain-$snap
fi
ln -s ".$name.builds/$snap" "$pub.link.$$" || fail 1 "cannot make a link beside $pub"
mv -T "$pub.link.$$" "$pub" || { rm -f "$pub.link.$$"; fail 1 "cannot switch $pub"; }

# Keep the build just replaced (a reader may still be in it); remove older ones.
for d in "$builds"/*; do
	[ -d "$d" ] || continue
	case ".$name.builds/${d##*/}" in
	".$name.builds/$snap" | "$old") ;;
	*) rm -rf "$d" ;;
	esac
done
say "published $pub -> .$name.builds/$snap"
exit 0
