/**
 * `generate --workers N`: instances generated in a pool of N worker threads (piscina), each reading its
 * input, generating it (instance.ts, the same code as the calling thread) and writing its output file.
 * Results come back in any order and are handed on in task order, so the key and the manifest are the
 * same for any N. Each worker numbers its checks itself (CheckInterner): a series' shared checks are
 * sent to the key writer once per worker, not once per instance.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AsyncAnswerKeyWriter, InternedChecks } from '../answerkey/index.js';
import type { IdentityPlan } from '../identity/index.js';
import type { FinishedInstance } from './generate.js';
import type { InstanceTask } from './instance.js';
import type { LanguageOptions } from './planner.js';

/** What each worker is started with. */
export interface PoolWorkerData {
  out: string;
  seed: string;
  identities: IdentityPlan;
  language: LanguageOptions;
  burnShares: Readonly<Record<string, number>>;
}

/** Options of generateInPool. */
export interface PoolOptions extends PoolWorkerData {
  workers: number;
  /** Called once per task, in task order, after its file is written. */
  accept: (finished: FinishedInstance) => void;
  /**
   * Where the workers' numbered checks are defined (as results arrive) and forgotten; tasks are given
   * out only as fast as it writes.
   */
  writer: Pick<AsyncAnswerKeyWriter, 'defineChecks' | 'forgetChecks' | 'caughtUp'>;
}

/** A worker's answer: the instance, and the checks it numbered first for it (JSON), if any. */
export interface PoolResult extends FinishedInstance {
  defs?: string;
}

/**
 * A worker's namespaces: its thread id times this plus its numbering generation (a new one each time its
 * CheckInterner starts afresh, so that older numbers stay defined for results not yet handed on).
 */
export const NAMESPACES_PER_THREAD = 1 << 16;

/** Tasks in flight per worker: enough to keep each busy, few enough to bound memory. */
const TASKS_PER_WORKER = 4;

/**
 * The compiled worker script, or undefined when this module runs from TypeScript sources (tests), where a
 * worker thread could not load it; generate then works in the calling thread.
 */
export function poolScript(): URL | undefined {
  if (!import.meta.url.endsWith('.js')) return undefined;
  const url = new URL('./generate-worker.js', import.meta.url);
  return existsSync(fileURLToPath(url)) ? url : undefined;
}

/** Generates `tasks` in a pool of worker threads; see the module comment. */
export async function generateInPool(
  script: URL,
  tasks: readonly InstanceTask[],
  options: PoolOptions,
): Promise<void> {
  const { workers, accept, writer, ...workerData } = options;
  // Loaded by pool runs only: a run in the calling thread starts without it (start-up time).
  const { Piscina } = await import('piscina');
  const pool = new Piscina<InstanceTask, PoolResult>({
    filename: fileURLToPath(script),
    minThreads: workers,
    maxThreads: workers,
    // A worker keeps its numbering of checks for the whole run: it must not be retired while idle (the
    // longest timer Node keeps; longer ones fire at once).
    idleTimeout: 2 ** 31 - 1,
    // A bound V8 keeps its heap well under (it collects lazily up to its much larger default).
    resourceLimits: { maxOldGenerationSizeMb: 384 },
    workerData: workerData satisfies PoolWorkerData,
  });
  const results = new Map<number, PoolResult>();
  let nextToAccept = 0;
  // Results arrive from each worker in the order it made them, so its numbered checks are defined as they
  // arrive; results are handed on in task order, which may be later. A namespace is forgotten once its
  // worker has moved on to a newer one and no result numbered in it is still waiting.
  const waiting = new Map<number, number>();
  const newest = new Map<number, number>();
  const namespaceOf = (r: PoolResult): number | undefined =>
    (r.instance?.checks as InternedChecks | undefined)?.namespace;
  const thread = (namespace: number): number => Math.floor(namespace / NAMESPACES_PER_THREAD);
  const forgetIfDone = (namespace: number): void => {
    if ((waiting.get(namespace) ?? 0) === 0 && newest.get(thread(namespace)) !== namespace) {
      waiting.delete(namespace);
      writer.forgetChecks(namespace);
    }
  };
  const arrived = (r: PoolResult): void => {
    const namespace = namespaceOf(r);
    if (namespace === undefined) return;
    if (r.defs) writer.defineChecks(namespace, r.defs);
    waiting.set(namespace, (waiting.get(namespace) ?? 0) + 1);
    const previous = newest.get(thread(namespace));
    newest.set(thread(namespace), namespace);
    if (previous !== undefined && previous !== namespace) forgetIfDone(previous);
  };
  const handedOn = (r: PoolResult): void => {
    const namespace = namespaceOf(r);
    if (namespace === undefined) return;
    waiting.set(namespace, waiting.get(namespace)! - 1);
    forgetIfDone(namespace);
  };
  let failure: unknown;
  const inFlight = new Set<Promise<void>>();
  try {
    for (let n = 0; n < tasks.length && failure === undefined; n++) {
      const position = n;
      const run: Promise<void> = pool.run(tasks[n]!).then(
        (result) => {
          inFlight.delete(run);
          arrived(result);
          results.set(position, result);
          while (results.has(nextToAccept)) {
            const ready = results.get(nextToAccept)!;
            results.delete(nextToAccept++);
            accept({ outcome: ready.outcome, ...(ready.instance ? { instance: ready.instance } : {}) });
            handedOn(ready);
          }
        },
        (error: unknown) => {
          inFlight.delete(run);
          failure ??= error;
        },
      );
      inFlight.add(run);
      while (inFlight.size >= workers * TASKS_PER_WORKER && failure === undefined)
        await Promise.race(inFlight);
      await writer.caughtUp();
    }
    await Promise.all(inFlight);
    if (failure !== undefined) throw failure;
  } finally {
    await pool.destroy();
  }
}
