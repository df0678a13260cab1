/**
 * The two scripts Gradescope runs, as they go into the autograder zip.
 * Both take the autograder root from HEAPGRADE_AUTOGRADER_ROOT (default
 * /autograder) so that a test, or a container build, can run the very same
 * scripts against another folder; setup.sh skips the system packages under
 * HEAPGRADE_SKIP_SYSTEM=1 where Node and bubblewrap are already provided.
 */

/** The Node LTS line setup.sh installs (Node 20 reached end of life in April 2026; 24 is the active LTS). */
export const SETUP_NODE_MAJOR = 24;
/** Oldest Node major setup.sh accepts as already installed (a maintained LTS line). */
export const SETUP_NODE_MIN = 22;

/** setup.sh, starting the kit's CLI at `bin` (its package.json `bin`, relative to the kit). */
export const setupSh = (bin: string): string => `#!/usr/bin/env bash
# Gradescope runs this once when it builds the autograder image (Ubuntu, as root).
set -euo pipefail
ROOT="\${HEAPGRADE_AUTOGRADER_ROOT:-/autograder}"
if [ "\${HEAPGRADE_SKIP_SYSTEM:-0}" != 1 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  # A supported Node LTS (Node 20 is end of life).
  if ! command -v node >/dev/null || [ "$(node -p 'process.versions.node.split(".")[0]')" -lt ${SETUP_NODE_MIN} ]; then
    apt-get install -y ca-certificates curl gnupg
    curl -fsSL https://deb.nodesource.com/setup_${SETUP_NODE_MAJOR}.x | bash -
    apt-get install -y nodejs
  fi
  # Every graded child runs under bubblewrap: no network, its own PID namespace, a read-only kit.
  apt-get install -y bubblewrap
fi
cd "$ROOT/source/heapgrade"
# Exactly the dependency versions in the packed package-lock.json.
npm ci --omit=dev --no-audit --no-fund --prefer-offline
# Compile the kit's C runtime and C reference once, into the cache every submission reads.
export HEAPGRADE_CACHE_DIR="$ROOT/source/heapgrade-cache"
node ${bin} gradescope warm
`;

/** How `gradescope pack` sets the grading of every submission: flags of `heapgrade gradescope` in run_autograder. */
export interface RunSettings {
  sandbox?: 'required' | 'auto' | 'off';
  /** Seconds for the whole grade. */
  timeout?: number;
  /** MiB for the graded process. */
  memory?: number;
  testsOnly?: boolean;
}

/** The `heapgrade gradescope` flags for `settings` (only those given: the rest keep the command's defaults). */
export function runFlags(settings: RunSettings): string[] {
  return [
    ...(settings.sandbox ? ['--sandbox', settings.sandbox] : []),
    ...(settings.timeout !== undefined ? ['--timeout', String(settings.timeout)] : []),
    ...(settings.memory !== undefined ? ['--memory', String(settings.memory)] : []),
    ...(settings.testsOnly ? ['--tests-only'] : []),
  ];
}

/** run_autograder, starting the kit's CLI at `bin` with the packed settings. */
export const runAutograder = (bin: string, settings: RunSettings = {}): string => `#!/usr/bin/env bash
# Gradescope runs this for every submission; it must leave results/results.json.
ROOT="\${HEAPGRADE_AUTOGRADER_ROOT:-/autograder}"
export HEAPGRADE_CACHE_DIR="$ROOT/source/heapgrade-cache"
cd "$ROOT/source/heapgrade"
exec node ${bin} gradescope --root "$ROOT" ${runFlags(settings).map((f) => `${f} `).join('')}"$@"
`;
