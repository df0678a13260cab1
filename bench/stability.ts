/**
 * Grades each submission N times, each in a fresh process, and reports the
 * spread of the total score (the requirement: within 0.5 points).
 */
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';

export interface StabilityRow {
  spec: string;
  speed: string;
  scores: number[];
  spread: number;
  meanSeconds: number;
}

const once = fileURLToPath(new URL('./grade-once.ts', import.meta.url));

export async function measureStability(spec: string, runs: number, speed: 'cost' | 'wallclock' = 'wallclock'): Promise<StabilityRow> {
  const scores: number[] = [];
  let seconds = 0;
  for (let i = 0; i < runs; i++) {
    const { stdout } = await execa('npx', ['tsx', once, spec, '--speed', speed]);
    const r = JSON.parse(stdout.trim().split('\n').at(-1)!) as { score: number; seconds: number };
    scores.push(r.score);
    seconds += r.seconds;
  }
  return { spec, speed, scores, spread: Math.round((Math.max(...scores) - Math.min(...scores)) * 100) / 100, meanSeconds: seconds / runs };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [spec = 'ref:reference', runs = '5', speed = 'wallclock'] = process.argv.slice(2);
  console.log(JSON.stringify(await measureStability(spec, Number(runs), speed as 'cost' | 'wallclock')));
}
