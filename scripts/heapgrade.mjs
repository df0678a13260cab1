#!/usr/bin/env node
// The `heapgrade` command. The same file runs in two trees: in the installed
// package (dist/scripts/, compiled JavaScript beside it) it starts the CLI with
// plain Node; in the repo's sources (scripts/) it registers tsx first, so that
// `node scripts/heapgrade.mjs` always runs the code being edited.
import { existsSync } from 'node:fs';

const compiled = new URL('./cli.js', import.meta.url);
if (existsSync(compiled)) {
  // `heapgrade --version` alone answers before the CLI (yargs) loads: it must stay instant.
  if (process.argv.length === 3 && process.argv[2] === '--version') {
    const { kitVersion } = await import('../harness/util/kit-root.js');
    process.stdout.write(`${kitVersion()}\n`);
  } else {
    await import(compiled.href);
  }
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./cli.ts');
}
