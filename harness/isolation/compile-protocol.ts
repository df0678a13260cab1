/** The messages between the grading parent and its compile service (compile-main.ts). */

export interface CompileRequest {
  id: number;
  /** An absolute .c file or folder, or `ref:reference-c`. */
  target: string;
  /** 'auto' | 'yowasp' | 'system'; undefined is 'auto'. */
  compiler?: string;
  /** The course profile (a built-in name or an absolute profile file); undefined is 'heapgrade'. */
  profile?: string;
}

export type CompileReply =
  | { id: number; kind: 'compiled'; key: string; cached: boolean; ms: number; sha256: string; meta: string }
  /** The student's source did not compile or link: `message` is the compiler's, worded by the kit. */
  | { id: number; kind: 'load-failed'; message: string; ms: number }
  | { id: number; kind: 'kit-error'; message: string; ms: number };

/** What the parent concluded, including the service's own time and memory limits. */
export type CompileOutcome =
  /** sha256: of the module bytes the compile process holds (a cache file that differs is refused); meta: the entry's JSON, from memory. */
  | { kind: 'compiled'; key: string; cached: boolean; ms: number; sha256: string; meta: string }
  | { kind: 'load-failed'; message: string; ms: number }
  | { kind: 'kit-error'; message: string; ms: number };
