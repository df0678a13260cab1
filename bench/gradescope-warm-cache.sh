#!/usr/bin/env bash
# Gradescope submission time with a cold vs a warm C compile cache (what setup.sh's `heapgrade gradescope warm` saves); see BENCHMARKS.md.
cd /work/wt/platforms
B=scripts/heapgrade.mjs
S=test/fixtures/c/naive-malloclab.c
for round in 1 2; do
  C=$(mktemp -d)
  uptime
  s=$(date +%s.%N); HEAPGRADE_CACHE_DIR=$C node $B gradescope --submission $S --tests-only --results $C/r1.json >/dev/null; e=$(date +%s.%N)
  echo "cold cache: tests-only gradescope of naive-malloclab.c: $(echo "$e - $s" | bc) s"
  s=$(date +%s.%N); HEAPGRADE_CACHE_DIR=$C node $B gradescope warm; e=$(date +%s.%N)
  echo "warm (already has the submission's runtime): $(echo "$e - $s" | bc) s"
  C2=$(mktemp -d)
  s=$(date +%s.%N); HEAPGRADE_CACHE_DIR=$C2 node $B gradescope warm; e=$(date +%s.%N)
  echo "gradescope warm into empty cache: $(echo "$e - $s" | bc) s"
  s=$(date +%s.%N); HEAPGRADE_CACHE_DIR=$C2 node $B gradescope --submission $S --tests-only --results $C2/r1.json >/dev/null; e=$(date +%s.%N)
  echo "warm cache: tests-only gradescope of naive-malloclab.c: $(echo "$e - $s" | bc) s"
  uptime
done
