/**
 * The Error a failing check throws in `npm test`. vitest draws a code frame
 * from the first frame of the stack; thrown from the adapter, that frame is
 * the kit's own code, which tells the student nothing. So the stack is
 * rewritten: one frame at the student's source line when the violation names
 * one (a segfault or an exception in TypeScript: `allocator.ts:42:7`), and no
 * frame at all otherwise (the message already holds the repro).
 */
import { isAbsolute, resolve } from 'node:path';

const LOCATION = /(?:^|[\s(])((?:\/|\.{0,2}[\w-])[\w./-]*\.(?:ts|js|mts|mjs|c)):(\d+):(\d+)/;

/** The first student `file:line:col` the texts name (violation messages, a load error), as an absolute path. */
export function studentLocation(texts: readonly string[]): { file: string; line: number; column: number } | undefined {
  for (const text of texts) {
    const m = LOCATION.exec(text);
    if (!m) continue;
    const file = isAbsolute(m[1]!) ? m[1]! : resolve(process.cwd(), m[1]!);
    if (/\/harness\/|\/node_modules\//.test(file)) continue;
    return { file, line: Number(m[2]), column: Number(m[3]) };
  }
  return undefined;
}

/** `name` labels the frame (the check); `texts` are searched for the student's source line. */
export function studentError(message: string, name: string, texts: readonly string[]): Error {
  const err = new Error(message);
  const at = studentLocation(texts);
  // The kit's frames are never the student's business.
  err.stack = `Error: ${message}${at ? `\n    at ${name} (${at.file}:${at.line}:${at.column})` : ''}`;
  return err;
}
