/**
 * The parent's validation of what an isolated child sends (the messages
 * themselves: child/messages.ts). Anything but the expected order (a
 * message after the final one, a wrong nonce, a malformed body) means the
 * submission reached the channel: it is recorded as tampering.
 */
import type { TestReport } from '../report/types.ts';
import type { FinalMessage, ProgressMessage } from '../child/messages.ts';

/** What the parent concluded from the channel alone (flags and exit codes come on top). */
export type ChannelVerdict =
  | { kind: 'silent' } // no ready message: the kit never got as far as loading the submission
  | { kind: 'ready-only' } // loaded the submission, then stopped without a final message
  | { kind: 'forged'; why: string }
  | { kind: 'final'; message: FinalMessage };

/** A streamed result the parent may keep: well formed and carrying the nonce. */
export function validProgress(v: unknown, nonce: string): ProgressMessage | undefined {
  if (!isRecord(v) || v.nonce !== nonce || !isRecord(v.result)) return undefined;
  const r = v.result;
  if (v.kind === 'check') {
    const ok = typeof r.name === 'string' && typeof r.points === 'number' && typeof r.maxPoints === 'number' && Number.isFinite(r.points) &&
      r.points >= 0 && r.points <= r.maxPoints && (r.status === 'pass' || r.status === 'fail' || r.status === 'error') && Array.isArray(r.violations);
    return ok ? (v as ProgressMessage) : undefined;
  }
  if (v.kind === 'workload') {
    const ok = typeof r.name === 'string' && typeof r.utilization === 'number' && typeof r.throughput === 'number' &&
      typeof r.utilScore === 'number' && typeof r.speedScore === 'number' && typeof r.weight === 'number' && Array.isArray(r.violations);
    return ok ? (v as ProgressMessage) : undefined;
  }
  return undefined;
}

const FINAL_KINDS = new Set(['result', 'load-failed', 'tampered', 'kit-error']);
const PROGRESS_KINDS = new Set(['check', 'workload']);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The report fields the batch and the platform writers rely on. */
export function isWellFormedReport(v: unknown): v is TestReport {
  if (!isRecord(v)) return false;
  if (typeof v.version !== 'number' || typeof v.submission !== 'string') return false;
  if (v.status !== 'pass' && v.status !== 'fail' && v.status !== 'error') return false;
  if (!Array.isArray(v.checks)) return false;
  return v.checks.every(
    (c) =>
      isRecord(c) &&
      typeof c.name === 'string' &&
      typeof c.points === 'number' &&
      typeof c.maxPoints === 'number' &&
      (c.status === 'pass' || c.status === 'fail' || c.status === 'error'),
  );
}

function isFinal(v: Record<string, unknown>): v is FinalMessage & Record<string, unknown> {
  if (!FINAL_KINDS.has(v.kind as string)) return false;
  switch (v.kind) {
    case 'result':
      return isWellFormedReport(v.report);
    case 'load-failed':
    case 'kit-error':
      return typeof v.message === 'string';
    case 'tampered':
      return Array.isArray(v.changed) && v.changed.every((c) => typeof c === 'string');
    default:
      return false;
  }
}

/**
 * Judges everything that arrived on the channel. Exactly: one `ready`, then
 * streamed results, then at most one final message, each with the nonce and
 * nothing else.
 */
export function judgeChannel(all: readonly unknown[], nonce: string): ChannelVerdict {
  if (all.length === 0) return { kind: 'silent' };
  const [first, ...after] = all;
  if (!isRecord(first) || first.nonce !== nonce || first.kind !== 'ready') {
    return { kind: 'forged', why: 'the first message on the result channel is not the kit\'s ready message' };
  }
  let i = 0;
  while (i < after.length && isRecord(after[i]) && (after[i] as Record<string, unknown>).kind !== undefined && PROGRESS_KINDS.has((after[i] as Record<string, unknown>).kind as string)) {
    if (!validProgress(after[i], nonce)) return { kind: 'forged', why: 'a streamed result on the result channel is forged or malformed' };
    i++;
  }
  const [second, ...rest] = after.slice(i);
  if (second === undefined) return { kind: 'ready-only' };
  if (rest.length > 0) return { kind: 'forged', why: `${rest.length} message(s) on the result channel after the final one` };
  if (!isRecord(second) || second.nonce !== nonce) {
    return { kind: 'forged', why: 'a message on the result channel does not carry this run\'s secret' };
  }
  if (!isFinal(second)) return { kind: 'forged', why: 'the final message on the result channel is malformed' };
  return { kind: 'final', message: second };
}
