#!/bin/bash
# `heapgrade trace --set classic` against native mdriver's correctness pass on
# the same allocator, rounds interleaved. Nothing of the handout is bundled:
# build mdriver from a public malloclab handout (make), list the eleven trace
# names of our classic set in its config.h, write the traces with mdriver's
# header (see BENCHMARKS.md), and give this script the paths:
#   MDRIVER=/path/mdriver TRACES=/path/classic MM_C=/path/mm.c bash bench/mdriver-compare.sh [rounds]
# mm.c must be the file mdriver was built with; for the kit it is compiled with
# `#define DRIVER 1` first when the handout renames malloc under DRIVER.
set -euo pipefail
rounds=${1:-3}
kit="$(cd "$(dirname "$0")/.." && pwd)/dist/scripts/heapgrade.mjs"
: "${MDRIVER:?set MDRIVER}" "${TRACES:?set TRACES}" "${MM_C:?set MM_C}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
node "$kit" trace --set classic "$MM_C" --alignment 8 > /dev/null   # warm the compile cache
for i in $(seq "$rounds"); do
  echo "round $i, load $(cut -d' ' -f1 /proc/loadavg)"
  /usr/bin/time -f '%e s wall, %U+%S s CPU' -o "$tmp/md" bash -c "cd '$TRACES' && for f in *.rep; do '$MDRIVER' -c \$f > /dev/null || echo FAIL \$f; done"
  echo "  mdriver -c x11 (native): $(cat "$tmp/md")"
  /usr/bin/time -f '%e s wall, %U+%S s CPU' -o "$tmp/hg" node "$kit" trace --set classic "$MM_C" --alignment 8 > "$tmp/out"
  echo "  heapgrade trace --set classic: $(cat "$tmp/hg") ($(grep -o 'after [0-9.]* s loading' "$tmp/out" || true); $(grep '^Total' "$tmp/out" || true))"
done
