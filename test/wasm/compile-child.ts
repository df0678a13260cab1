/** A process that loads one C file, as a check worker does, and says whether it compiled it (compile-once.test.ts). */
import { compileC } from '../../harness/wasm/compile.ts';
import { toolchainStats } from '../../harness/wasm/toolchain.ts';

const c = await compileC(process.argv[2]!, { compiler: 'yowasp' });
process.stdout.write(JSON.stringify({ cached: c.cached, runs: toolchainStats.runs, key: c.key }));
