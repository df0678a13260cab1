/**
 * Lets `grade` run its workloads' checked replays side by side (each lane a
 * watched worker) without disturbing the speed measurement that follows each
 * one: that measurement runs on this thread, synchronously, and its default
 * clock is the process's CPU time, which counts every thread of the process.
 * So a lane whose replay has finished waits until no replay is in flight;
 * then all waiting lanes are released together and time their workloads one
 * after another (synchronous code: nothing else runs meanwhile), and no new
 * replay starts until they all have. Replays overlap replays, never a timing.
 */
import type { CheckerOptions } from '../checker/options.ts';
import type { IsolatedReplay, IsolatedReplayer } from '../runner/isolated-replayer.ts';
import type { Op } from '../trace/types.ts';

type Request = { seed: number; limit: number; checker: CheckerOptions };

export class ReplayGate {
  private inFlight = 0;
  /** Lanes whose replay is done, waiting for the others to finish theirs. */
  private parked: (() => void)[] = [];
  /** Resolves once the released lanes have timed their workloads; new replays wait on it. */
  private timing: Promise<void> | undefined;

  /** A replayer for one lane: its replays go through the gate. */
  lane(inner: IsolatedReplayer): Pick<IsolatedReplayer, 'replay'> {
    return { replay: (ops, request) => this.replay(inner, ops, request) };
  }

  private async replay(inner: IsolatedReplayer, ops: readonly Op[], request: Request): Promise<IsolatedReplay> {
    while (this.timing) await this.timing;
    this.inFlight++;
    let result: IsolatedReplay;
    try {
      result = await inner.replay(ops, request);
    } finally {
      this.inFlight--;
      if (this.inFlight === 0) this.release();
    }
    if (this.inFlight > 0) await new Promise<void>((resolve) => this.parked.push(resolve));
    return result;
  }

  private release(): void {
    const lanes = this.parked;
    this.parked = [];
    // The released continuations (and the one returning now) time their workloads in
    // microtasks, before any macrotask: setImmediate fires once they all have.
    this.timing = new Promise<void>((done) =>
      setImmediate(() => {
        this.timing = undefined;
        done();
      }),
    );
    for (const resume of lanes) resume();
  }
}
