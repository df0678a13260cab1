/**
 * One compile per cache key, however many processes and threads ask at once.
 * `heapgrade test` on a C file starts two check workers that each load it;
 * on a cold cache both used to run clang on the same file (twice the CPU,
 * twice the ~500 MB). The first to create `<key>.lock` in the cache folder
 * compiles; the others poll until the result (or the student's error) is in
 * the cache, then read it.
 *
 * A holder that died leaves its lock behind: the lock names its host and
 * pid, and is taken over when that process is gone, or when its heartbeat
 * (the file's mtime, touched while the holder's event loop runs) is older
 * than STALE_MS (a compile blocks the loop for seconds, so the margin is wide).
 */
import { open, rm, stat, utimes, mkdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export const STALE_MS = 120_000;
const HEARTBEAT_MS = 2_000;

export interface OnceOptions<T> {
  /** The finished result, if some process already stored it (throws the stored student error). */
  lookup: () => Promise<T | null>;
  /** Compiles and stores the result (or the student's error) in the cache. */
  make: () => Promise<T>;
  pollMs?: number;
}

export async function compileOnce<T>(dir: string, key: string, o: OnceOptions<T>): Promise<T> {
  const lock = path.join(dir, `${key}.lock`);
  const pollMs = o.pollMs ?? 100;
  for (;;) {
    const hit = await o.lookup();
    if (hit !== null) return hit;
    try {
      await mkdir(dir, { recursive: true });
    } catch {
      return o.make(); // no cache folder to lock in: compile alone
    }
    let handle;
    try {
      handle = await open(lock, 'wx');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return o.make(); // no lock possible here (read-only cache): compile alone
      if (await isStale(lock)) await rm(lock, { force: true });
      else await new Promise((r) => setTimeout(r, pollMs));
      continue;
    }
    const heartbeat = setInterval(() => {
      const now = new Date();
      utimes(lock, now, now).catch(() => {});
    }, HEARTBEAT_MS);
    heartbeat.unref();
    try {
      await handle.writeFile(`${os.hostname()} ${process.pid}\n`);
      await handle.close();
      // Finished by another between our lookup and our lock: read it.
      return (await o.lookup()) ?? (await o.make());
    } finally {
      clearInterval(heartbeat);
      await rm(lock, { force: true });
    }
  }
}

async function isStale(lock: string): Promise<boolean> {
  try {
    const [st, text] = await Promise.all([stat(lock), readFile(lock, 'utf8')]);
    if (Date.now() - st.mtimeMs > STALE_MS) return true;
    const [host, pid] = text.trim().split(' ');
    if (host === os.hostname() && pid && Number(pid) !== process.pid) {
      try {
        process.kill(Number(pid), 0);
      } catch (e) {
        return (e as NodeJS.ErrnoException).code === 'ESRCH'; // the holder is gone
      }
    }
    return false;
  } catch {
    return false; // gone already (or just being written): look again
  }
}
