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
  type BurnedTextRow,
  CheckInterner,
  type FileRecord,
  type InstanceKey,
  MAX_DEFINED_CHECKS,
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
   * Queues one instance, its checks and its burned-in text lines; throws at once on a duplicate instance
   * or a malformed check.
   */
  addInstance(key: InstanceKey, checks: readonly Check[], burned?: readonly BurnedTextRow[]): void;
  /** Queues one `files` row. */
  addFile(file: FileRecord): void;
  /** Writes the run row, compacts the file and renames it to answer_key.db; resolves to its path. */
  close(run: RunRecord): Promise<string>;
  /** Stops writing and deletes the scratch file; answer_key.db is not created. */
  abort(): Promise<void>;
}

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
      instances: Array<{ key: InstanceKey; ids: number[]; burned: readonly BurnedTextRow[] }>;
      files: FileRecord[];
    }
  | { type: 'close'; run: RunRecord; path: string };

/** What the worker answers to `close` (a failure reaches the calling thread as the worker's error). */
export type KeyWriterReply = { type: 'closed' };

/** What the worker is started with. */
export interface KeyWriterWorkerData {
  partialPath: string;
  batchSize: number;
}

/** Instances sent per message: few messages, and the worker never waits long for work. */
const INSTANCES_PER_MESSAGE = 8;

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
    addInstance: (key, checks, burned) => writer.addInstance(key, checks, burned),
    addFile: (file) => writer.addFile(file),
    close: async (run) => writer.close(run),
    abort: async () => writer.abort(),
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

  constructor(dir: string, script: URL, options: AnswerKeyWriterOptions) {
    this.path = join(dir, ANSWER_KEY_FILE);
    this.partialPath = this.path + PARTIAL_SUFFIX;
    this.validate = options.validate ?? true;
    this.maxDefinedChecks = options.maxDefinedChecks ?? MAX_DEFINED_CHECKS;
    prepareKeyFiles(this.path, options.keepExisting ?? false);
    const workerData: KeyWriterWorkerData = {
      partialPath: this.partialPath,
      batchSize: options.batchSize ?? 256,
    };
    this.worker = new Worker(script, { workerData });
    this.worker.on('error', (error) => {
      this.failure ??= error;
    });
    this.reply = new Promise((resolve) => {
      this.worker.once('message', resolve);
    });
    this.exited = new Promise((resolve) => {
      this.worker.once('exit', (code) => {
        if (code !== 0) this.failure ??= new AnswerKeyError(`the answer-key writer thread exited (${code})`);
        resolve();
      });
    });
  }

  private usable(): void {
    if (this.closed) throw new AnswerKeyError('the answer-key writer is closed');
    if (this.failure) throw this.failure;
  }

  addInstance(key: InstanceKey, checks: readonly Check[], burned: readonly BurnedTextRow[] = []): void {
    this.usable();
    if (this.seen.has(key.sopInstanceUid))
      throw new AnswerKeyError(
        `instance ${key.sopInstanceUid} added twice (one answer_data row per instance)`,
      );
    if (this.validate) validateChecks(checks);
    this.seen.add(key.sopInstanceUid);
    if (this.interner.size > this.maxDefinedChecks) {
      this.post();
      this.interner.reset();
      this.batch.reset = true;
    }
    const ids = this.interner.intern(checks, this.batch.defs);
    this.batch.instances.push({ key, ids, burned });
    if (this.batch.instances.length >= INSTANCES_PER_MESSAGE) this.post();
  }

  addFile(file: FileRecord): void {
    this.usable();
    this.batch.files.push(file);
  }

  private post(): void {
    const b = this.batch;
    if (b.instances.length === 0 && b.files.length === 0 && b.defs.length === 0 && !b.reset) return;
    const message: KeyWriterMessage = { ...b, defs: JSON.stringify(b.defs) };
    this.worker.postMessage(message);
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

  async abort(): Promise<void> {
    this.closed = true;
    await this.worker.terminate();
    removeKeyScratch(this.partialPath);
  }
}

/** A `rows` message being collected, its new checks not yet encoded as JSON. */
type PendingBatch = Omit<Extract<KeyWriterMessage, { type: 'rows' }>, 'defs'> & { defs: Check[] };

const emptyBatch = (reset: boolean): PendingBatch => ({
  type: 'rows',
  reset,
  defs: [],
  instances: [],
  files: [],
});
