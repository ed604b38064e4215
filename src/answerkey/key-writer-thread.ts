/**
 * The answer-key writer on a second thread: SQLite inserts, the final index and VACUUM INTO run in a
 * worker (key-writer-worker.ts) while the calling thread goes on generating. The calling thread keeps
 * what must fail at once (duplicate instances, malformed checks) and sends each instance as the numbers
 * of its checks, with the checks the worker has not seen yet (CheckInterner): both threads write
 * through the same KeyStore, so the file is byte-identical to the in-thread AnswerKeyWriter's.
 *
 * Crash safety is the in-thread writer's: rows go to answer_key.db.partial, and the worker renames the
 * compacted copy to answer_key.db only after the run row and VACUUM INTO.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AnswerKeyError, type Check } from './check.js';
import {
  ANSWER_KEY_FILE,
  AnswerKeyWriter,
  type AnswerKeyWriterOptions,
  CheckInterner,
  DEFAULT_BATCH_SIZE,
  type InstanceKey,
  type InternedChecks,
  type KeyEntry,
  type NumberedEntry,
  MAX_DEFINED_CHECKS,
  OWN_NAMESPACE,
  PARTIAL_SUFFIX,
  prepareKeyFiles,
  removeKeyScratch,
  type RunRecord,
  validateChecks,
} from './sqlite.js';

/** An answer-key writer whose closing is asynchronous: in a worker thread, or in this one. */
export interface AsyncAnswerKeyWriter {
  /** The final path, DIR/answer_key.db. */
  readonly path: string;
  /**
   * Queues one source instance, in scan order: its progress record and, when it was written, its rows
   * and file, all in one transaction (what a resumed run relies on).
   */
  addEntry(entry: KeyEntry): void;
  /**
   * Defines checks a generating thread numbered in its own `namespace` (JSON of the Check array, in its
   * numbering order); called as its results arrive, so before any entry that uses them.
   */
  defineChecks(namespace: number, defs: string): void;
  /** Drops `namespace`'s definitions: no entry still to come uses them. */
  forgetChecks(namespace: number): void;
  /**
   * Settles once the writer has nearly caught up with the entries queued: a producer that awaits it
   * between entries keeps the queue (and the memory it holds) bounded when writing is the slower side.
   */
  caughtUp(): Promise<void>;
  /** Writes the run row, compacts the file and renames it to answer_key.db; resolves to its path. */
  close(run: RunRecord): Promise<string>;
  /**
   * Stops writing; answer_key.db is not created. The scratch file is deleted, or with `keepScratch` left
   * with the entries queued so far committed, for a resumed run.
   */
  abort(keepScratch?: boolean): Promise<void>;
}

/** What a `rows` message carries, in call order: entries, and definitions of other threads' checks. */
export type KeyWriterOp = NumberedEntry | { define: number; defs: string } | { forget: number };

/** What the calling thread sends the worker. */
export type KeyWriterMessage =
  | {
      type: 'rows';
      /** Start numbering checks afresh before defining `defs`. */
      reset: boolean;
      /**
       * Checks numbered from the worker's current count on, in order, as JSON: thousands of small
       * objects cost the structured clone of postMessage several times what JSON.stringify and
       * JSON.parse do, and a Check (strings, nulls, booleans, arrays, plain objects) comes back the same.
       */
      defs: string;
      ops: KeyWriterOp[];
    }
  | { type: 'close'; run: RunRecord; path: string }
  | { type: 'abort' };

/**
 * What the worker answers: `written` after each `rows` message, `closed` to `close` (a failure reaches
 * the calling thread as the worker's error).
 */
export type KeyWriterReply = { type: 'closed' } | { type: 'written' } | { type: 'started'; stored: string[] };

/** What the worker is started with. */
export interface KeyWriterWorkerData {
  partialPath: string;
  batchSize: number;
  resume: boolean;
}

/** Instances sent per message: few messages, and the worker never waits long for work. */
const INSTANCES_PER_MESSAGE = 8;
/**
 * Messages sent and not yet written before `caughtUp` makes the producer wait: enough that the worker
 * always has work queued, few enough that a slower writer cannot let the queue grow with the run.
 */
const MAX_UNWRITTEN_MESSAGES = 8;

/**
 * The compiled worker script, or undefined when this module runs from TypeScript sources (tests), where a
 * worker thread could not load it; openAnswerKeyWriter then writes in the calling thread.
 */
export function keyWriterScript(): URL | undefined {
  if (!import.meta.url.endsWith('.js')) return undefined;
  const url = new URL('./key-writer-worker.js', import.meta.url);
  return existsSync(fileURLToPath(url)) ? url : undefined;
}

/** Options of openAnswerKeyWriter. */
export interface OpenAnswerKeyWriterOptions extends AnswerKeyWriterOptions {
  /** Write in a worker thread when the compiled worker exists (default true); false: in this thread. */
  thread?: boolean;
}

/** An answer-key writer: in a worker thread when possible, else in the calling thread. */
export function openAnswerKeyWriter(
  dir: string,
  options: OpenAnswerKeyWriterOptions = {},
): AsyncAnswerKeyWriter {
  const script = options.thread === false ? undefined : keyWriterScript();
  if (script) return new ThreadedAnswerKeyWriter(dir, script, options);
  const writer = new AnswerKeyWriter(dir, options);
  return {
    path: writer.path,
    addEntry: (entry) => writer.addEntry(entry),
    defineChecks: (namespace, defs) => writer.defineChecks(namespace, defs),
    forgetChecks: (namespace) => writer.forgetChecks(namespace),
    caughtUp: () => Promise.resolve(),
    close: async (run) => writer.close(run),
    abort: async (keepScratch) => writer.abort(keepScratch),
  };
}

/** The writer whose SQLite work runs in key-writer-worker.ts. */
class ThreadedAnswerKeyWriter implements AsyncAnswerKeyWriter {
  readonly path: string;
  private readonly partialPath: string;
  private readonly worker: Worker;
  private readonly validate: boolean;
  private readonly interner = new CheckInterner();
  private readonly maxDefinedChecks: number;
  private readonly seen = new Set<string>();
  private batch: PendingBatch = emptyBatch(false);
  private failure: Error | undefined;
  private closed = false;
  /** Settles when the worker has exited. */
  private readonly exited: Promise<void>;
  private reply: Promise<KeyWriterReply>;
  /** `rows` messages sent and not yet answered `written`, and the producer waiting for fewer. */
  private unwritten = 0;
  private wakeProducer: (() => void) | undefined;

  constructor(dir: string, script: URL, options: AnswerKeyWriterOptions) {
    this.path = join(dir, ANSWER_KEY_FILE);
    this.partialPath = this.path + PARTIAL_SUFFIX;
    this.validate = options.validate ?? true;
    this.maxDefinedChecks = options.maxDefinedChecks ?? MAX_DEFINED_CHECKS;
    const resume = options.resume ?? false;
    prepareKeyFiles(this.path, options.keepExisting ?? false, resume);
    const workerData: KeyWriterWorkerData = {
      partialPath: this.partialPath,
      batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE,
      resume,
    };
    // Its heap holds bounded maps (MAX_DEFINED_CHECKS encodings per namespace, remembered definition
    // ids): a bound keeps V8 from letting garbage pile up to its much larger default.
    this.worker = new Worker(script, { workerData, resourceLimits: { maxOldGenerationSizeMb: 256 } });
    this.worker.on('error', (error) => {
      this.failure ??= error;
    });
    this.reply = new Promise((resolve) => {
      this.worker.on('message', (message: KeyWriterReply) => {
        if (message.type === 'started') message.stored.forEach((uid) => this.seen.add(uid));
        else if (message.type === 'written') this.written();
        else resolve(message);
      });
    });
    this.exited = new Promise((resolve) => {
      this.worker.once('exit', (code) => {
        if (code !== 0) this.failure ??= new AnswerKeyError(`the answer-key writer thread exited (${code})`);
        this.wakeProducer?.();
        resolve();
      });
    });
  }

  private written(): void {
    this.unwritten--;
    if (this.unwritten <= MAX_UNWRITTEN_MESSAGES / 2) this.wakeProducer?.();
  }

  async caughtUp(): Promise<void> {
    while (this.unwritten > MAX_UNWRITTEN_MESSAGES && !this.failure && !this.closed) {
      await new Promise<void>((resolve) => (this.wakeProducer = resolve));
      this.wakeProducer = undefined;
    }
    this.usable();
  }

  private usable(): void {
    if (this.closed) throw new AnswerKeyError('the answer-key writer is closed');
    if (this.failure) throw this.failure;
  }

  /** Registers an instance once (one answer_data row per instance). */
  private admit(key: InstanceKey): void {
    if (this.seen.has(key.sopInstanceUid))
      throw new AnswerKeyError(
        `instance ${key.sopInstanceUid} added twice (one answer_data row per instance)`,
      );
    this.seen.add(key.sopInstanceUid);
  }

  /** Numbers checks in this thread's namespace; the new ones go with the next message. */
  private intern(checks: readonly Check[]): number[] {
    if (this.validate) validateChecks(checks);
    if (this.interner.size > this.maxDefinedChecks) {
      this.post();
      this.interner.reset();
      this.batch.reset = true;
    }
    return this.interner.intern(checks, this.batch.defs);
  }

  addEntry(entry: KeyEntry): void {
    this.usable();
    const instance = entry.instance;
    if (!instance) {
      this.batch.ops.push({ progress: entry.progress });
    } else {
      this.admit(instance.key);
      const { key, burned, file } = instance;
      if (Array.isArray(instance.checks)) {
        const ids = this.intern(instance.checks as readonly Check[]);
        this.batch.ops.push({
          progress: entry.progress,
          instance: { key, ids, burned, file, namespace: OWN_NAMESPACE },
        });
      } else {
        const { namespace, ids } = instance.checks as InternedChecks;
        this.batch.ops.push({ progress: entry.progress, instance: { key, ids, burned, file, namespace } });
      }
    }
    if (this.batch.ops.length >= INSTANCES_PER_MESSAGE) this.post();
  }

  defineChecks(namespace: number, defs: string): void {
    this.usable();
    this.batch.ops.push({ define: namespace, defs });
  }

  forgetChecks(namespace: number): void {
    this.usable();
    this.batch.ops.push({ forget: namespace });
  }

  private post(): void {
    const b = this.batch;
    if (b.ops.length === 0 && b.defs.length === 0 && !b.reset) return;
    const message: KeyWriterMessage = { ...b, defs: JSON.stringify(b.defs) };
    this.worker.postMessage(message);
    this.unwritten++;
    this.batch = emptyBatch(false);
  }

  async close(run: RunRecord): Promise<string> {
    this.usable();
    this.post();
    this.closed = true;
    const message: KeyWriterMessage = { type: 'close', run, path: this.path };
    this.worker.postMessage(message);
    const reply = await Promise.race([this.reply, this.exited.then(() => undefined)]);
    await this.exited;
    if (reply?.type === 'closed' && !this.failure) return this.path;
    throw this.failure ?? new AnswerKeyError('the answer-key writer thread stopped before closing');
  }

  async abort(keepScratch = false): Promise<void> {
    this.closed = true;
    if (keepScratch && !this.failure) {
      // The worker commits what it was sent and exits; the scratch file stays for a resumed run.
      this.post();
      const message: KeyWriterMessage = { type: 'abort' };
      this.worker.postMessage(message);
      await this.exited;
      return;
    }
    await this.worker.terminate();
    if (!keepScratch) removeKeyScratch(this.partialPath);
  }
}

/** A `rows` message being collected, its new checks not yet encoded as JSON. */
type PendingBatch = Omit<Extract<KeyWriterMessage, { type: 'rows' }>, 'defs'> & { defs: Check[] };

const emptyBatch = (reset: boolean): PendingBatch => ({
  type: 'rows',
  reset,
  defs: [],
  ops: [],
});
