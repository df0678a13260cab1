#!/bin/bash
# Pairs heapgrade and a native mdriver built on the same mm.c (issue 22, item 5):
# interleaved rounds of
#   A. mdriver's full run (`./mdriver` in its folder: correctness, utilization, timing of its default traces),
#   B. `heapgrade trace MM_C <those traces> --profile auto` (the checked replay of the same traces),
#   C. `heapgrade grade MM_C --profile auto` (every check and workload),
# each timed by /usr/bin/time (user+sys CPU and wall), with the load average, then medians and ratios.
# Nothing of the handout is bundled: build mdriver natively from a public malloclab handout
# (see BENCHMARKS.md), under /tmp, with MM_C as its mm.c, and give the paths:
#   MDRIVER_DIR=/tmp/x/b-impl MM_C=/tmp/x/b-impl/mm.c TRACES="/tmp/x/traces/amptjp-bal.rep ..." bash bench/mdriver-pair.sh [rounds] [what]
# `what` is a comma list of trace,grade (default both). The compile cache is warmed first.
# BEFORE_KIT=/path/to/other/dist adds `trace` (and `grade`) of that build as trace-before (grade-before) in the
# same rounds, for a before/after pair under the same load (build the old commit's dist/ elsewhere, e.g. from
# `git archive OLD | tar -x -C /tmp/old` with node_modules linked, then `node scripts/build/build.mjs` there).
set -euo pipefail
rounds=${1:-3}
what=${2:-trace,grade}
kit="$(cd "$(dirname "$0")/.." && pwd)/dist/scripts/heapgrade.mjs"
: "${MDRIVER_DIR:?set MDRIVER_DIR}" "${MM_C:?set MM_C}" "${TRACES:?set TRACES (the traces mdriver runs by default)}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
before="${BEFORE_KIT:+$BEFORE_KIT/scripts/heapgrade.mjs}"
node "$kit" trace "$MM_C" $TRACES --profile auto > /dev/null 2>&1 || true   # warm the compile cache
[ -n "$before" ] && { node "$before" trace "$MM_C" $TRACES --profile auto > /dev/null 2>&1 || true; }
run() { # name, then the command; appends "cpu wall load" to $tmp/name
  local name=$1; shift
  local load; load=$(cut -d' ' -f1 /proc/loadavg)
  /usr/bin/time -f '%U %S %e' -o "$tmp/t" "$@" > "$tmp/out.$name" 2>&1 || true
  read -r u s e < <(tail -1 "$tmp/t")
  echo "$(echo "$u + $s" | bc) $e $load" >> "$tmp/$name"
  printf '  %-12s cpu %5.2f s  wall %6.2f s  load %s\n' "$name" "$(echo "$u + $s" | bc)" "$e" "$load"
}
for i in $(seq "$rounds"); do
  echo "round $i"
  run mdriver bash -c "cd '$MDRIVER_DIR' && ./mdriver"
  [[ $what == *trace* ]] && run trace node "$kit" trace "$MM_C" $TRACES --profile auto
  [[ $what == *trace* && -n $before ]] && run trace-before node "$before" trace "$MM_C" $TRACES --profile auto
  [[ $what == *grade* ]] && run grade node "$kit" grade "$MM_C" --profile auto
  [[ $what == *grade* && -n $before ]] && run grade-before node "$before" grade "$MM_C" --profile auto
done
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
md_cpu=$(cut -d' ' -f1 "$tmp/mdriver" | median); md_wall=$(cut -d' ' -f2 "$tmp/mdriver" | median)
echo "medians of $rounds (load $(cut -d' ' -f3 "$tmp/mdriver" | sort -n | head -1)-$(cut -d' ' -f3 "$tmp/mdriver" | sort -n | tail -1)):"
echo "  mdriver full run: cpu $md_cpu s, wall $md_wall s"
for name in trace trace-before grade grade-before; do
  [ -f "$tmp/$name" ] || continue
  c=$(cut -d' ' -f1 "$tmp/$name" | median); w=$(cut -d' ' -f2 "$tmp/$name" | median)
  echo "  heapgrade $name: cpu $c s ($(echo "scale=2; $c / $md_cpu" | bc)x), wall $w s ($(echo "scale=2; $w / $md_wall" | bc)x); $(grep -oE '= [0-9.]+/100|^Total.*' "$tmp/out.$name" | tail -1 | tr -s ' ')"
done
