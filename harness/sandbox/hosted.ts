/**
 * The OS sandbox on a hosted grader (Gradescope's container, a GitHub
 * runner): where the platform refuses namespaces, the container is the OS
 * boundary and the grader goes on with the protections that remain (the
 * compartment and meter, user nobody where setpriv can drop to it, a cgroup
 * or rlimits, results written by the parent only), saying which. A course
 * that insists sets `"sandbox": "required"` in its configuration; then the
 * grader does not grade, and says why and what fixes it, to the student and
 * to the staff, in the platform's own result.
 */
import { basename } from 'node:path';
import { probeSandbox, type SandboxMode } from '../bwrap/probe.ts';

export interface HostedSandbox {
  mode: SandboxMode;
  /** Set when the mode is `required` and bubblewrap cannot start here: the whole explanation, with the fix. */
  refused?: string;
}

/** The mode: the command line's flag, else the configuration's `sandbox`, else `auto`. */
export function hostedSandbox(flag: SandboxMode | undefined, configured: 'required' | 'auto' | undefined, configFile: string | undefined): HostedSandbox {
  const mode = flag ?? configured ?? 'auto';
  if (mode !== 'required') return { mode };
  const support = probeSandbox();
  if (support.ok) return { mode };
  const name = configFile ? basename(configFile) : 'heapgrade.config.json';
  const source = flag ? '--sandbox required on the command line' : `"sandbox": "required" in ${name}`;
  const relax = flag ? 'grade without `--sandbox required` (`heapgrade gradescope pack --sandbox auto`)' : `set "sandbox": "auto" in ${name}`;
  return {
    mode,
    refused:
      `This assignment requires the OS sandbox (${source}), and it cannot start on this machine: ${support.why}. ` +
      `Course staff: where the grader's container is the boundary (Gradescope), ${relax} and upload the autograder again; ` +
      'on a GitHub runner, lift the AppArmor restriction on user namespaces first (the template workflow does); ' +
      'elsewhere install bubblewrap and allow unprivileged user namespaces.',
  };
}
