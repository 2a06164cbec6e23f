#!/usr/bin/env bash
# Whole-command timings of brackets against the tools users have today, on the same commits,
# side by side in one hyperfine run, then the peak memory of each brackets command.
#
# Usage: benches/compare.sh [REPO [DRAFT]]
#   REPO   a corpus written by `cargo run --release --example synth -- REPO --size large`
#          (default: target/corpus/large, generated when missing), or `demo` for the bundled
#          example repository (`brackets demo`).
#   DRAFT  the draft to compare (default: the corpus's first draft, or the demo's resolution).
# Pairs: two consecutive iterations in the middle of the draft's history, and first vs last,
# each also read by examples/read_floor, which starts and reads both as `diff` does and stops.
# Then search: `brackets search WORD --all-revisions` against `git grep -i WORD` over every
# revision and `rg -i WORD` over the working tree, on a clone of REPO (the index lives in the
# git folder; the clone keeps REPO untouched), and the peak memory of search and index.
# Env: RUNS (default 30), WARMUP (default 3); SEARCH_WORDS (default "privacy financing"),
# SEARCH_RUNS (default 3: git grep over 4,000 revisions takes a minute or more a run);
# SEARCH_WARMUP (default 1); SKIP_LOG_DIFF=1 runs only the search section, SKIP_SEARCH=1 all
# but the search section.
set -euo pipefail
cd "$(dirname "$0")/.."
have() { command -v "$1" >/dev/null 2>&1; }
install() { # command, package
  have "$1" && return
  echo "$1 is missing; installing $2 with apt-get" >&2
  if [ "$(id -u)" = 0 ]; then apt-get install -y "$2" >&2; else sudo apt-get install -y "$2" >&2; fi
}
install hyperfine hyperfine
install rg ripgrep
[ -x /usr/bin/time ] || { echo "/usr/bin/time is missing: apt-get install time" >&2; exit 1; }
runs=${RUNS:-30}
warmup=${WARMUP:-3}
cargo build --release --quiet --bin brackets --example read_floor
bin="$PWD/target/release/brackets"
# Starts and reads both iterations as `diff` does, then stops: the floor under `diff`.
floor="$PWD/target/release/examples/read_floor"

repo=${1:-target/corpus/large}
if [ "$repo" = demo ]; then
  repo=$("$bin" demo --path)
  draft=${2:-resolution/people-centred-smart-cities.md}
else
  if [ ! -d "$repo/.git" ]; then
    echo "generating the large corpus into $repo" >&2
    cargo run --release --quiet --example synth -- "$repo" --size large >&2
  fi
  draft=${2:-unea/smart-cities.md}
fi
repo=$(cd "$repo" && pwd)
cd "$repo"

mapfile -t commits < <(git log --format=%h --abbrev=10 --reverse -- "$draft")
n=${#commits[@]}
[ "$n" -ge 2 ] || { echo "$draft has fewer than two iterations in $repo" >&2; exit 1; }
mid=$(( n / 2 ))
first=${commits[0]}; last=${commits[$((n - 1))]}
before=${commits[$((mid - 1))]}; after=${commits[$mid]}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GiB"
echo "brackets: $("$bin" --version), git: $(git --version), hyperfine: $(hyperfine --version), $(rg --version | head -1)"
echo "load: $(uptime)"
echo "repository: $repo ($(git rev-list --count HEAD) commits, $(git tag | wc -l) tags, $(git ls-files | wc -l) drafts)"
echo "draft: $draft ($n iterations; $(git cat-file -s "$before:$draft") -> $(git cat-file -s "$after:$draft") bytes consecutive, $(git cat-file -s "$first:$draft") -> $(git cat-file -s "$last:$draft") first to last)"
echo

out=${TMPDIR:-/tmp}/brackets-compare
mkdir -p "$out"
bench() { # name, then hyperfine arguments
  local name=$1; shift
  hyperfine --warmup "$warmup" --runs "$runs" --style basic -N --export-markdown "$out/$name.md" \
    --export-json "$out/$name.json" "$@" >&2
  cat "$out/$name.md"; echo
  # On a shared machine wall time includes waiting for a core; CPU time (user + system) is
  # the steadier measure of the work each command does.
  python3 - "$out/$name.json" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
cpu = [(r["command"], 1000 * (r["user"] + r["system"])) for r in results]
peer = cpu[-1][1]
print("| Command | CPU (user + sys) [ms] | vs peer |")
print("|:---|---:|---:|")
for name, ms in cpu:
    print(f"| `{name}` | {ms:.1f} | {ms / peer:.2f}x |")
print()
PY
}

peak() {
  local kb
  kb=$( { /usr/bin/time -v "$@" > /dev/null; } 2>&1 | awk -F: '/Maximum resident/ {print $2}' | xargs)
  echo "| \`${*/#$bin/brackets}\` | $((kb / 1024)) MB |"
}

if [ -z "${SKIP_LOG_DIFF:-}" ]; then
echo "### diff of consecutive iterations (${before:0:7} -> ${after:0:7})"
bench diff-consecutive \
  -n "brackets diff" "$bin diff $draft@$before $draft@$after --color never" \
  -n "brackets diff --json" "$bin diff $draft@$before $draft@$after --json" \
  -n "floor: read both, nothing else" "$floor $draft@$before $draft@$after" \
  -n "git diff --word-diff" "git --no-pager diff --word-diff $before $after -- $draft"

echo "### diff of first vs last iteration (${first:0:7} -> ${last:0:7})"
bench diff-first-last \
  -n "brackets diff" "$bin diff $draft@$first $draft@$last --color never" \
  -n "brackets diff --json" "$bin diff $draft@$first $draft@$last --json" \
  -n "floor: read both, nothing else" "$floor $draft@$first $draft@$last" \
  -n "git diff --word-diff" "git --no-pager diff --word-diff $first $last -- $draft"

echo "### start-up alone"
bench start-up \
  -n "brackets --version" "$bin --version" \
  -n "read_floor (the library without the terminal UI and search)" "$floor" \
  -n "git --version" "git --version"

echo "### log of one draft"
bench log \
  -n "brackets log" "$bin log $draft --color never" \
  -n "brackets log --json" "$bin log $draft --json" \
  -n "git log -- PATH" "git --no-pager log -- $draft"

echo "### peak memory (maximum resident set size)"
echo
echo "| command | peak RSS |"
echo "|---|---|"
peak "$bin" diff "$draft@$before" "$draft@$after"
peak "$bin" diff "$draft@$first" "$draft@$last"
peak "$bin" diff "$draft@$first" "$draft@$last" --json
peak "$bin" log "$draft"
peak "$bin" log "$draft" --json
peak "$bin" show "$draft@$after"
peak "$bin" check "$draft"
peak git --no-pager diff --word-diff "$first" "$last" -- "$draft"
peak git --no-pager log -- "$draft"
echo
fi

# ----- search -----
[ -z "${SKIP_SEARCH:-}" ] || exit 0
words=${SEARCH_WORDS:-privacy financing}
search_runs=${SEARCH_RUNS:-3}
clone=$(mktemp -d "${TMPDIR:-/tmp}/brackets-search.XXXXXX")
trap 'rm -rf "$clone"' EXIT
git clone --quiet "$repo" "$clone/corpus"
cd "$clone/corpus"
revs=$(git rev-list --all | wc -l)
echo "### search ($revs revisions; clone of $repo)"
echo
# Every revision on one command line: $revs ids of 41 bytes fit well within ARG_MAX
# ($(getconf ARG_MAX) bytes here), so no xargs is needed (xargs would split the run in
# several git processes).
[ $(( revs * 41 )) -lt $(( $(getconf ARG_MAX) / 2 )) ] || { echo "too many revisions for one command line" >&2; exit 1; }
start=$(date +%s%N)
"$bin" index > /dev/null
echo "index warmed (\`brackets index\`, a full build on the clone) in $(( ($(date +%s%N) - start) / 1000000 )) ms"
echo
for word in $words; do
  echo "#### \`$word\`: $("$bin" search "$word" --all-revisions --json | python3 -c 'import json,sys; print(json.load(sys.stdin).get("total", "?"))') hits in the index over all revisions, $(rg -i "$word" | wc -l) lines in the working tree"
  echo
  hyperfine --warmup "${SEARCH_WARMUP:-1}" --min-runs "$search_runs" --style basic -N \
    --export-markdown "$out/search-$word.md" --export-json "$out/search-$word.json" \
    -n "brackets search $word --all-revisions" "$bin search $word --all-revisions" \
    -n "brackets search $word" "$bin search $word" \
    -n "rg -i $word (working tree)" "rg -i $word" \
    -n "git grep -i $word \$(git rev-list --all)" "bash -c 'git grep -i $word \$(git rev-list --all)'" >&2
  cat "$out/search-$word.md"; echo
  python3 - "$out/search-$word.json" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
peer = results[-1]
print("| Command | runs | median [ms] | CPU (user + sys) [ms] | git grep / this (wall) |")
print("|:---|---:|---:|---:|---:|")
for r in results:
    print(f"| `{r['command']}` | {len(r['times'])} | {1000 * r['median']:.1f} | {1000 * (r['user'] + r['system']):.1f} | {peer['median'] / r['median']:.0f}x |")
print()
PY
done

echo "### peak memory of search and index"
echo
echo "| command | peak RSS |"
echo "|---|---|"
for word in $words; do
  peak "$bin" search "$word" --all-revisions
  peak "$bin" search "$word"
done
peak "$bin" index --rebuild
peak bash -c "git grep -i ${words%% *} \$(git rev-list --all)"
peak rg -i "${words%% *}"
