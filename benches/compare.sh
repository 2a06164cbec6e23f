#!/usr/bin/env bash
# Whole-command timings of brackets against the tools users have today, on the same commits.
# Usage: benches/compare.sh [REPO DRAFT OLD NEW]
# Default: the bundled example repository (`brackets demo`), the resolution, rev1 -> rev2 and
# zero-draft -> adopted. Needs hyperfine (apt-get install hyperfine) and a release build.
set -euo pipefail
cd "$(dirname "$0")/.."
have() { command -v "$1" >/dev/null 2>&1; }
have hyperfine || { echo "hyperfine is missing: apt-get install hyperfine" >&2; exit 1; }
cargo build --release --quiet --bin brackets
bin="$PWD/target/release/brackets"

repo=${1:-$("$bin" demo --path)}
draft=${2:-resolution/people-centred-smart-cities.md}
pairs=("${3:-rev1}:${4:-rev2}" "zero-draft:adopted")
cd "$repo"

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "draft: $draft ($(wc -c < "$draft") bytes at HEAD)"
for pair in "${pairs[@]}"; do
  old=${pair%%:*}; new=${pair##*:}
  hyperfine --warmup 3 --runs 30 --style basic --export-markdown "/tmp/brackets-diff-$old-$new.md" \
    -n "brackets diff $old $new" "$bin diff $draft@$old $draft@$new --color never" \
    -n "brackets diff --json" "$bin diff $draft@$old $draft@$new --json" \
    -n "git diff --word-diff" "git --no-pager diff --word-diff $old $new -- $draft"
  cat "/tmp/brackets-diff-$old-$new.md"
done
hyperfine --warmup 3 --runs 30 --style basic --export-markdown /tmp/brackets-log.md \
  -n "brackets log" "$bin log $draft --color never" \
  -n "git log -- PATH" "git --no-pager log -- $draft"
cat /tmp/brackets-log.md

echo "peak memory (max resident set, KB):"
for cmd in "diff $draft@zero-draft $draft@adopted" "log $draft" "show $draft@compilation-2" "check $draft"; do
  kb=$( { /usr/bin/time -v "$bin" $cmd > /dev/null; } 2>&1 | awk -F: '/Maximum resident/ {print $2}' | xargs)
  echo "  brackets $cmd: $kb"
done
