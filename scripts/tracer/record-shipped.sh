#!/usr/bin/env bash
# Re-records the real-program traces shipped in suites/workloads/traces/real/
# (run from anywhere; needs cc, python3, sqlite3 and gcc). The results depend
# on the programs' versions, so a re-recording differs in detail from the
# committed files; the windows below are the ones they were cut with.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
real="$here/../../suites/workloads/traces/real"
mkdir -p "$real"
py="$(python3 -c 'import sys; print(sys.executable)')" # the interpreter itself, not a pyenv/venv wrapper script

# PYTHONMALLOC=malloc sends every object allocation to malloc instead of Python's own small-object arenas.
PYTHONMALLOC=malloc "$here/record.sh" -o "$real/python-wordfreq.rep" --name python-wordfreq --start 500000 --count 60000 \
  -- "$py" "$here/programs/wordfreq.py" >/dev/null
"$here/record.sh" -o "$real/sqlite3-inventory.rep" --name sqlite3-inventory \
  -- sqlite3 :memory: -init /dev/null -batch <"$here/programs/inventory.sql" >/dev/null
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$here/record.sh" -o "$real/gcc-cc1.rep" --name gcc-cc1 --start 120000 --count 60000 \
  -- gcc -O2 -c "$here/heapgrade-trace.c" -o "$tmp/heapgrade-trace.o"
