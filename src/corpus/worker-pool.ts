/**
 * Building and encoding instances in worker threads. Each worker gets the whole (serializable) plan once,
 * then instance indexes; it answers with the encoded bytes. Bytes do not depend on which thread made them,
 * so the corpus is identical for any worker count (ARCHITECTURE.md section 4).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { PseudophiError } from '../errors/index.js';
import type { CorpusPlan } from './plan.js';

/** A worker's answer: the bytes of one instance, or why it failed. */
export type WorkerReply =
  | { index: number; bytes: Uint8Array }
  | { index: number; error: string }
  | { ready: true };

/** Tasks queued per worker: enough to keep it busy while the main thread writes, few enough to bound memory. */
const QUEUE_PER_WORKER = 2;

/**
 * The compiled worker script, or undefined when this module runs from TypeScript sources (tests), where a
 * worker thread could not load it; callers then work in the calling thread.
 */
export function workerScript(): URL | undefined {
  if (!import.meta.url.endsWith('.js')) return undefined;
  const url = new URL('./worker.js', import.meta.url);
  return existsSync(fileURLToPath(url)) ? url : undefined;
}

/**
 * Renders instances 0..count-1 in `workers` threads and hands each result to `accept` (in completion
 * order; `accept` may wait, which holds back further dispatch).
 */
export async function renderInWorkers(
  script: URL,
  plan: CorpusPlan,
  count: number,
  workers: number,
  accept: (index: number, bytes: Uint8Array) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failure: Error | undefined;
  const pool = Array.from({ length: workers }, () => new Worker(script, { workerData: { plan } }));
  try {
    await Promise.all(
      pool.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            let pending = 0;
            let chain = Promise.resolve();
            const feed = (): void => {
              while (pending < QUEUE_PER_WORKER && next < count && !failure) {
                worker.postMessage(next++);
                pending++;
              }
              if (pending === 0) resolve();
            };
            worker.on('error', reject);
            worker.on('message', (reply: WorkerReply) => {
              if ('ready' in reply) return feed();
              // Results are accepted one after another, so writes and hashes never interleave oddly.
              chain = chain.then(async () => {
                pending--;
                if ('error' in reply) throw new PseudophiError(`instance ${reply.index}: ${reply.error}`);
                await accept(reply.index, reply.bytes);
                feed();
              });
              chain.catch((error: unknown) => {
                failure ??= error instanceof Error ? error : new Error(String(error));
                reject(failure);
              });
            });
          }),
      ),
    );
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
}
