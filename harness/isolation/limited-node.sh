#!/bin/sh
# Starts node under OS resource limits, for harness/isolation/run-isolated.ts.
# Usage (as execa's nodePath): limited-node.sh <node options> <script> [args]
#   HEAPGRADE_NODE      the node binary
#   HEAPGRADE_DATA_KB   RLIMIT_DATA in KiB: heap, array buffers, WebAssembly memory
#                       (RLIMIT_AS cannot be used: V8 and WebAssembly reserve GiBs of
#                       address space up front, so node would not even start)
#   HEAPGRADE_CPU_S     RLIMIT_CPU in seconds: a backstop that ends a runaway child
#                       even if the grading process is gone (SIGKILL of the batch)
# The shell stays as the child's parent on purpose, so a submission that signals
# its parent (process.ppid) hits this shell, not the grader. When node dies from
# a signal the shell re-raises it, so the grader sees the real signal.
ulimit -c 0
[ -n "$HEAPGRADE_DATA_KB" ] && { ulimit -d "$HEAPGRADE_DATA_KB" || exit 125; }
# The soft limit sends SIGXCPU (the CPU limit, supervise.ts); the hard one (5 s later, where it can be set), SIGKILL
# (with both at once the kernel may send SIGKILL first, which reads as a crash).
[ -n "$HEAPGRADE_CPU_S" ] && { ulimit -S -t "$HEAPGRADE_CPU_S" || exit 125; ulimit -H -t "$((HEAPGRADE_CPU_S + 5))" 2>/dev/null; }
"${HEAPGRADE_NODE:-node}" "$@"
status=$?
if [ "$status" -gt 128 ] && [ "$status" -lt 160 ]; then
  trap - HUP INT QUIT ABRT KILL SEGV TERM
  kill -s "$((status - 128))" $$
fi
exit "$status"
