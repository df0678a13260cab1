/**
 * What the OS sandbox can do on the machine running the tests. A fresh
 * machine has no bubblewrap, and hosted CI may refuse it namespaces
 * (HEAPGRADE_BWRAP=/bin/false stands in): tests of grading logic then grade
 * with `auto` (the protections that remain) and still test something; tests
 * of the sandbox itself skip, saying why.
 */
import { probeSandbox, type SandboxMode } from '../../harness/bwrap/probe.ts';

const support = probeSandbox();

/** True where bubblewrap starts here. */
export const SANDBOX_WORKS = support.ok;

/** For tests of grading logic: `required` where bubblewrap works (as graders run), `auto` where it cannot start. */
export const GRADING_SANDBOX: SandboxMode = support.ok ? 'required' : 'auto';

/** Why a test of the sandbox itself cannot run here (undefined: it can); printed once by `needsSandbox`. */
export const NO_SANDBOX = support.ok ? undefined : `skipped: needs bubblewrap with namespaces (${support.why})`;

/** A describe title that says why it is skipped here, also printed, for tests that need the OS sandbox itself. */
export function needsSandbox(title: string): string {
  if (NO_SANDBOX === undefined) return title;
  console.warn(`${title}: ${NO_SANDBOX}`);
  return `${title} [${NO_SANDBOX}]`;
}
