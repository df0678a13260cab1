#!/usr/bin/env bash
# Records the allocations of a real program into a .rep trace.
#
#   scripts/tracer/record.sh -o out.rep [--start K] [--count N] [--name NAME] [--free-at-end] [--keep-logs DIR] -- cmd args...
#
# Builds heapgrade-trace.c with the system C compiler (cc), runs cmd with it
# preloaded, and converts the log of the process that made the most calls
# (for `gcc`, that is cc1, not the driver) with convert.ts. Every process's
# call count is printed, so you can pick another log with convert.ts.
# Needs: cc, a dynamically linked cmd (static binaries cannot be traced), Node.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
out="" convert_args=() keep=""
usage() { echo "usage: $0 -o OUT.rep [--start K] [--count N] [--name NAME] [--free-at-end] [--keep-logs DIR] -- cmd args..." >&2; exit 2; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    -o|--out) out="${2:?}"; shift 2 ;;
    --start|--count|--name) convert_args+=("$1" "${2:?}"); shift 2 ;;
    --free-at-end) convert_args+=("$1"); shift ;;
    --keep-logs) keep="${2:?}"; shift 2 ;;
    --) shift; break ;;
    *) usage ;;
  esac
done
[[ -n "$out" && $# -gt 0 ]] || usage
command -v cc >/dev/null || { echo "record.sh: no C compiler 'cc' on PATH; install one (apt-get install -y gcc)" >&2; exit 2; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cc -shared -fPIC -O2 -o "$work/libheapgrade-trace.so" "$here/heapgrade-trace.c" -ldl -lpthread
mkdir -p "$work/logs"

status=0
HEAPGRADE_TRACE_FILE="$work/logs/log" LD_PRELOAD="$work/libheapgrade-trace.so" "$@" || status=$?
[[ $status -eq 0 ]] || echo "record.sh: the program exited with status $status; converting what it logged" >&2

shopt -s nullglob
logs=("$work"/logs/log.*)
[[ ${#logs[@]} -gt 0 ]] || { echo "record.sh: no log written; is '$1' statically linked or setuid?" >&2; exit 1; }
best="" best_calls=-1
for log in "${logs[@]}"; do
  calls=$(grep -vc '^#' "$log" || true)
  echo "  pid ${log##*.}: $calls calls" >&2
  if (( calls > best_calls )); then best="$log" best_calls=$calls; fi
done
if [[ -n "$keep" ]]; then mkdir -p "$keep" && cp "${logs[@]}" "$keep/"; fi
echo "record.sh: converting pid ${best##*.} ($best_calls calls)" >&2
out_abs="$(realpath -m "$out")"
# The installed kit ships convert.js beside this script (no tsx there); the repo runs the TypeScript through its tsx.
if [[ -f "$here/convert.js" ]]; then
  node "$here/convert.js" "$best" -o "$out_abs" "${convert_args[@]}"
else
  cd "$here/../.." && npx tsx scripts/tracer/convert.ts "$best" -o "$out_abs" "${convert_args[@]}"
fi
