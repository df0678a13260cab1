#!/bin/sh
# Joins the graded child's cgroups, then becomes the sandbox (exec).
# Usage: launch.sh <cgroup.procs file>... -- <command> [args]
# Run by the (trusted) grader before any student code exists, so every
# process the sandbox starts is born inside the limits and counted by them.
while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do
  echo $$ > "$1" || { echo "heapgrade: cannot join cgroup $1" >&2; exit 125; }
  shift
done
[ "$1" = "--" ] && shift
exec "$@"
