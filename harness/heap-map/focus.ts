/**
 * What a heap map points at: a block (given directly, or taken from a
 * violation), another block involved, and a single address of interest.
 */
import type { Violation } from '../checker/violation.ts';

export interface HeapFocus {
  ptr: number;
  /** Bytes; 0 for a malloc(0) pointer (drawn as one byte). */
  size: number;
  blockId?: number;
  /** What the focus is, for the table (e.g. `b3 = malloc(2048)`). */
  label?: string;
}

export interface ResolvedFocus {
  /** The byte range to highlight, when there is one. */
  range?: { start: number; end: number };
  blockId?: number;
  label: string;
  /** Another live block involved (the block overlapped). */
  other?: { blockId: number; ptr: number; size: number };
  /** One address of interest: the fault address, the first changed byte. */
  address?: { at: number; label: string };
  /** One line naming the operation and the rule, when the focus is a violation. */
  header?: string;
}

export function isViolation(f: HeapFocus | Violation): f is Violation {
  return 'kind' in f && 'message' in f;
}

const ADDRESS_LABELS: Partial<Record<Violation['kind'], string>> = {
  segfault: 'fault address',
  'payload-corrupted': 'first changed byte',
  'realloc-data-lost': 'first lost byte',
  'calloc-not-zeroed': 'first non-zero byte',
};

export function resolveFocus(f: HeapFocus | Violation | undefined): ResolvedFocus | undefined {
  if (!f) return undefined;
  if (!isViolation(f)) {
    return {
      range: { start: f.ptr, end: f.ptr + Math.max(1, f.size) },
      ...(f.blockId !== undefined ? { blockId: f.blockId } : {}),
      label: f.label ?? (f.blockId !== undefined ? `b${f.blockId}` : 'focus'),
    };
  }
  const r: ResolvedFocus = {
    label: `${f.call ?? (f.blockId !== undefined ? `b${f.blockId}` : 'the block')}: ${f.kind}${f.other ? ` with b${f.other.blockId}` : ''}`,
    header: `op #${f.op} ${f.kind}${f.call ? `: ${f.call}` : ''}`,
  };
  if (f.ptr !== undefined && f.ptr !== 0) r.range = { start: f.ptr, end: f.ptr + Math.max(1, f.size ?? 0) };
  if (f.blockId !== undefined) r.blockId = f.blockId;
  if (f.other) r.other = f.other;
  if (f.address !== undefined) r.address = { at: f.address, label: ADDRESS_LABELS[f.kind] ?? 'address' };
  return r;
}
