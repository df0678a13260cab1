/**
 * Workloads shaped like two kinds of long-running programs: lifetimes that
 * differ by orders of magnitude are what separates a good free-list policy
 * from a bad one.
 */
import { mulberry32, randInt } from '../../../harness/util/rng.ts';
import { logUniform, takeRandom, TraceBuilder } from '../builder.ts';

/**
 * A web server: each request allocates a burst of short-lived blocks
 * (request line, headers, body buffer, response pieces) freed when it ends;
 * a response cache with LRU eviction and session objects live much longer.
 */
export function webServer(seed: number): TraceBuilder {
  const rng = mulberry32(seed);
  const b = new TraceBuilder('web-server');
  const cache: number[] = []; // oldest first
  const sessions: number[] = [];
  while (b.length < 30000) {
    const request: number[] = [b.malloc(randInt(rng, 64, 512))]; // request line
    const headers = randInt(rng, 4, 20);
    for (let i = 0; i < headers; i++) request.push(b.malloc(randInt(rng, 16, 200)));
    if (rng() < 0.3) request.push(b.malloc(logUniform(rng, 1024, 65536))); // POST body
    const body = b.malloc(randInt(rng, 256, 1024));
    for (let i = randInt(rng, 1, 4); i > 0; i--) b.realloc(body, b.sizeOf(body) * 2); // response builder grows
    request.push(body);

    if (rng() < 0.2) {
      cache.push(b.malloc(logUniform(rng, 2048, 65536)));
      if (cache.length > 60) b.free(cache.shift()!);
    }
    if (rng() < 0.05) sessions.push(b.calloc(1, randInt(rng, 128, 384)));
    if (sessions.length > 40 && rng() < 0.05) b.free(takeRandom(rng, sessions));

    // Request teardown: mostly reverse order (arena-like), some out of order.
    while (request.length > 0) b.free(rng() < 0.8 ? request.pop()! : takeRandom(rng, request));
  }
  b.freeAll();
  return b;
}

/**
 * A database: a buffer pool of 4 KB and 8 KB pages evicted and reloaded,
 * B-tree index nodes that grow by realloc and split, and per-query scratch
 * space that lives for one query.
 */
export function database(seed: number): TraceBuilder {
  const rng = mulberry32(seed);
  const b = new TraceBuilder('database');
  const pool: number[] = [];
  const nodes: number[] = [];
  for (let i = 0; i < 300; i++) pool.push(b.malloc(rng() < 0.7 ? 4096 : 8192));
  for (let i = 0; i < 200; i++) nodes.push(b.malloc(randInt(rng, 64, 256)));
  while (b.length < 30000) {
    // Page miss: evict a random page, load another (often a different size).
    for (let misses = randInt(rng, 0, 3); misses > 0; misses--) {
      b.free(takeRandom(rng, pool));
      pool.push(b.malloc(rng() < 0.7 ? 4096 : 8192));
    }
    // Index maintenance: a node grows; a full node splits into two.
    const n = randInt(rng, 0, nodes.length - 1);
    const node = nodes[n]!;
    const size = b.sizeOf(node);
    if (size < 2048) b.realloc(node, size + randInt(rng, 16, 96));
    else {
      b.realloc(node, Math.floor(size / 2));
      nodes.push(b.malloc(Math.floor(size / 2)));
    }
    if (nodes.length > 1500) b.free(takeRandom(rng, nodes)); // nodes merged away
    // Query scratch: a handful of tuples and a sort buffer, gone at the end of the query.
    const scratch: number[] = [];
    for (let t = randInt(rng, 2, 12); t > 0; t--) scratch.push(b.malloc(logUniform(rng, 24, 600)));
    if (rng() < 0.25) scratch.push(b.malloc(logUniform(rng, 4096, 131072)));
    for (const id of scratch) b.free(id);
  }
  b.freeAll();
  return b;
}
