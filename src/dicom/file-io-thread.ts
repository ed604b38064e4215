/**
 * The file work of a generate run in a worker thread (file-io-worker.ts): inputs are read ahead and
 * hashed (SHA-256 of the file, MD5 of its stored Pixel Data), outputs are written atomically and hashed,
 * while the calling thread plans, edits and encodes. Promise-based file I/O in a thread that is busy
 * computing only advances when that thread awaits; here it advances on its own.
 *
 * Reads and writes use readInputBytes and writeFileAtomic either way, and their errors reach the caller
 * with the same class and message. Under the TS sources (tests), where the worker script cannot load,
 * the same work is done in the calling thread.
 */
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { PseudophiError } from '../errors/index.js';
import { readInputBytes, readInputBytesSync, writeFileAtomic } from './io.js';
import { storedPixelDataMd5 } from './pixel-digest.js';
import { parseDicom } from './read.js';

/** An input file as read: its bytes, their SHA-256 and the MD5 of its stored Pixel Data. */
export interface InputFile {
  bytes: Uint8Array;
  sha256: string;
  /** MD5 of the stored Pixel Data as the file parses; undefined without Pixel Data or when unparseable. */
  pixelDataMd5: string | undefined;
}

/** Reads inputs ahead and writes outputs, hashing both. */
export interface FileIo {
  /** The inputs, in the order they will be read; reading ahead starts. Called once. */
  readAhead(paths: readonly string[]): void;
  /** The input at `index` of the paths given to readAhead, or the error reading it raised. */
  read(index: number): Promise<InputFile | Error>;
  /**
   * The caller is done with input `index`: nothing of it (bytes, or views into them such as a parsed
   * data set's values) is used afterwards, and its buffer may be reused for a later input.
   */
  release(index: number): void;
  /**
   * A buffer of exactly `length` bytes to encode an output into and hand to `write` (writeDicom's
   * `allocate`). The thread's are reused once written: a fresh buffer per file costs page faults.
   */
  outputBuffer(length: number): Uint8Array;
  /**
   * Writes `bytes` to `path` atomically (writeFileAtomic) and resolves to their SHA-256. The bytes are
   * handed over: the caller must not use them afterwards (their buffer may be detached or reused).
   */
  write(path: string, bytes: Uint8Array): Promise<string>;
  /** Waits for every read and write asked for, then stops. */
  close(): Promise<void>;
}

/** Inputs read ahead of the one being generated. */
export const READ_AHEAD = 4;
/**
 * Bytes of inputs asked for ahead and not yet taken beyond which no further one is asked for (the one
 * needed next always is): four mammograms of tens of MB each would otherwise sit in memory at once.
 */
export const MAX_READ_AHEAD_BYTES = 64 * 1024 * 1024;

/** Output buffers are allocated in multiples of this many bytes. */
const OUTPUT_BUFFER_UNIT = 64 * 1024;
/** Larger files get a buffer of their own, handed over and freed after use, not kept for reuse. */
const MAX_REUSED_BUFFER_BYTES = 32 * 1024 * 1024;
/**
 * The file I/O thread's own bound: a buffer its pool lets go stays allocated until that thread collects
 * garbage, which, as it allocates little, it seldom does; larger inputs are handed over to the caller.
 */
export const MAX_REUSED_INPUT_BYTES_IN_IO_THREAD = 4 * 1024 * 1024;
/**
 * Bytes of free buffers a pool keeps: enough for the files in flight at a time; beyond it the largest
 * free ones are let go, so that a run meeting files of ever new sizes does not keep a buffer of each.
 */
const MAX_POOLED_FREE_BYTES = 32 * 1024 * 1024;

/**
 * A pool of shared buffers, each lent for one file: the smallest free one that is long enough, else a
 * new one rounded up so that it fits the slightly different lengths of the next files.
 */
export class SharedBufferPool {
  private readonly free: SharedArrayBuffer[] = [];
  private freeBytes = 0;

  constructor(
    private readonly maxFreeBytes = MAX_POOLED_FREE_BYTES,
    private readonly maxBufferBytes = MAX_REUSED_BUFFER_BYTES,
  ) {}

  /** A view of exactly `length` bytes; undefined for a file too large to keep a buffer for. */
  lend(length: number): Uint8Array | undefined {
    if (length > this.maxBufferBytes) return undefined;
    let best = -1;
    this.free.forEach((b, i) => {
      if (b.byteLength >= length && (best < 0 || b.byteLength < this.free[best]!.byteLength)) best = i;
    });
    let buffer: SharedArrayBuffer;
    if (best >= 0) {
      buffer = this.free.splice(best, 1)[0]!;
      this.freeBytes -= buffer.byteLength;
    } else {
      buffer = new SharedArrayBuffer(Math.ceil((length + 1) / OUTPUT_BUFFER_UNIT) * OUTPUT_BUFFER_UNIT);
    }
    return new Uint8Array(buffer, 0, length);
  }

  /** Takes a lent buffer back (and lets the largest free ones go while over the pool's bound). */
  giveBack(buffer: SharedArrayBuffer): void {
    this.free.push(buffer);
    this.freeBytes += buffer.byteLength;
    while (this.freeBytes > this.maxFreeBytes) {
      let largest = 0;
      this.free.forEach((b, i) => {
        if (b.byteLength > this.free[largest]!.byteLength) largest = i;
      });
      this.freeBytes -= this.free.splice(largest, 1)[0]!.byteLength;
    }
  }

  /** Bytes of the free buffers kept. */
  get keptBytes(): number {
    return this.freeBytes;
  }
}

/** An error as it crosses threads: enough to rebuild the same class and message. */
export interface ErrorDescription {
  message: string;
  code?: string;
  pseudophi: boolean;
}

/** What the calling thread sends the worker. */
export type FileIoRequest =
  /** `released`: inputs the calling thread is done with, whose buffers the worker may reuse. */
  | { type: 'read'; index: number; path: string; released: number[] }
  | { type: 'write'; id: number; path: string; bytes: Uint8Array }
  | { type: 'stop' };

/** What the worker answers. */
export type FileIoReply =
  | { type: 'read'; index: number; file: InputFile }
  | { type: 'read'; index: number; error: ErrorDescription }
  | { type: 'written'; id: number; sha256: string }
  | { type: 'written'; id: number; error: ErrorDescription };

export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Reads and hashes one input (in the calling thread). */
export async function readInputFile(path: string): Promise<InputFile> {
  return hashInputFile(await readInputBytes(path));
}

/** Reads and hashes one input with blocking calls (in the file I/O thread), into `allocate`'s buffer. */
export function readInputFileSync(path: string, allocate?: (size: number) => Uint8Array): InputFile {
  return hashInputFile(readInputBytesSync(path, allocate ? { allocate } : {}));
}

/** An input's bytes with their SHA-256 and the MD5 of their stored Pixel Data. */
function hashInputFile(bytes: Uint8Array): InputFile {
  let pixelDataMd5: string | undefined;
  try {
    pixelDataMd5 = storedPixelDataMd5(parseDicom(bytes).dataset);
  } catch {
    pixelDataMd5 = undefined; // not DICOM: the caller's own parse says why
  }
  return { bytes, sha256: sha256Hex(bytes), pixelDataMd5 };
}

export function describeError(error: unknown): ErrorDescription {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      message: error.message,
      ...(code === undefined ? {} : { code }),
      pseudophi: error instanceof PseudophiError,
    };
  }
  return { message: String(error), pseudophi: false };
}

function rebuildError(d: ErrorDescription): Error {
  if (d.pseudophi) return new PseudophiError(d.message);
  const error: NodeJS.ErrnoException = new Error(d.message);
  if (d.code !== undefined) error.code = d.code;
  return error;
}

/**
 * The compiled worker script, or undefined when this module runs from TypeScript sources (tests), where
 * a worker thread could not load it.
 */
export function fileIoScript(): URL | undefined {
  if (!import.meta.url.endsWith('.js')) return undefined;
  const url = new URL('./file-io-worker.js', import.meta.url);
  return existsSync(fileURLToPath(url)) ? url : undefined;
}

/**
 * File I/O in a worker thread when possible, else in the calling thread. Opened before the inputs are
 * known, the thread starts while they are scanned.
 */
export function openFileIo(options: { thread?: boolean } = {}): FileIo {
  const script = options.thread === false ? undefined : fileIoScript();
  return script ? new ThreadFileIo(script) : new InThreadFileIo();
}

/** A file's size, or 0 when it cannot be had (the read then reports why). */
function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

/** Keeps `promise` in `pending` until it settles (what close() waits for). */
function tracked<T>(pending: Set<Promise<unknown>>, promise: Promise<T>): Promise<T> {
  pending.add(promise);
  const done = (): void => void pending.delete(promise);
  promise.then(done, done);
  return promise;
}

/** Writes `bytes` atomically from the calling thread; resolves to their SHA-256. */
function writeHere(pending: Set<Promise<unknown>>, path: string, bytes: Uint8Array): Promise<string> {
  const digest = sha256Hex(bytes);
  return tracked(
    pending,
    writeFileAtomic(path, bytes).then(() => digest),
  );
}

/** The same work in the calling thread. */
class InThreadFileIo implements FileIo {
  private readonly reads = new Map<number, Promise<InputFile | Error>>();
  private readonly pending = new Set<Promise<unknown>>();
  private paths: readonly string[] = [];

  readAhead(paths: readonly string[]): void {
    this.paths = paths;
  }

  read(index: number): Promise<InputFile | Error> {
    for (let i = index; i < Math.min(index + READ_AHEAD, this.paths.length); i++)
      if (!this.reads.has(i))
        this.reads.set(i, tracked(this.pending, readInputFile(this.paths[i]!).catch(asError)));
    const read = this.reads.get(index) ?? Promise.resolve(new Error(`no input ${index}`));
    this.reads.delete(index);
    return read;
  }

  release(): void {
    // Every input has a buffer of its own here.
  }

  outputBuffer(length: number): Uint8Array {
    return Buffer.allocUnsafe(length);
  }

  write(path: string, bytes: Uint8Array): Promise<string> {
    return writeHere(this.pending, path, bytes);
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }
}

/** The work in file-io-worker.ts. */
class ThreadFileIo implements FileIo {
  private readonly worker: Worker;
  /** Reads asked for and not yet taken by read(), and the settle functions of reads not yet answered. */
  private readonly reads = new Map<number, Promise<InputFile | Error>>();
  private readonly unanswered = new Map<number, (r: InputFile | Error) => void>();
  /** Sizes of the inputs asked for and not yet taken by read(), by index (from the file system), and their sum. */
  private readonly aheadSizes = new Map<number, number>();
  private aheadBytes = 0;
  /** Writes done from this thread (files too large for a pooled buffer), not yet settled. */
  private readonly ownWrites = new Set<Promise<unknown>>();
  private readonly writes = new Map<
    number,
    { resolve: (sha256: string) => void; reject: (e: Error) => void }
  >();
  /**
   * Output buffers shared with the worker, so that writing one needs no copy or transfer: free ones, and
   * those handed to a write not yet answered (by write id), which return to the pool when it is.
   */
  private readonly outputs = new SharedBufferPool();
  private readonly outputsInWrite = new Map<number, SharedArrayBuffer>();
  /** Inputs released since the last read request, sent with the next one. */
  private released: number[] = [];
  private requested = 0;
  private nextWrite = 0;
  private failure: Error | undefined;
  private readonly exited: Promise<void>;

  private paths: readonly string[] = [];

  constructor(script: URL) {
    this.worker = new Worker(script);
    this.worker.on('message', (reply: FileIoReply) => this.settle(reply));
    this.worker.on('error', (error) => this.fail(error));
    this.exited = new Promise((resolve) => {
      this.worker.once('exit', (code) => {
        this.fail(new PseudophiError(`the file I/O thread exited (${code})`));
        resolve();
      });
    });
  }

  readAhead(paths: readonly string[]): void {
    this.paths = paths;
    this.requestUpTo(READ_AHEAD);
  }

  /** What reading ahead holds, or will once answered: the bytes of the inputs asked for and not yet taken. */
  get bytesReadAhead(): number {
    return this.aheadBytes;
  }

  /**
   * Asks for every input before `end` not asked for yet, but none beyond `needed` while those asked for
   * and not yet taken come to MAX_READ_AHEAD_BYTES.
   */
  private requestUpTo(end: number, needed = 0): void {
    for (; this.requested < Math.min(end, this.paths.length); this.requested++) {
      const index = this.requested;
      if (index > needed && this.aheadBytes >= MAX_READ_AHEAD_BYTES) break;
      // A stopped thread answers nothing: reads asked for after it stopped fail as the unanswered ones did.
      if (this.failure) {
        this.reads.set(index, Promise.resolve(this.failure));
        continue;
      }
      this.reads.set(index, new Promise((resolve) => this.unanswered.set(index, resolve)));
      const size = fileSize(this.paths[index]!);
      this.aheadSizes.set(index, size);
      this.aheadBytes += size;
      const request: FileIoRequest = {
        type: 'read',
        index,
        path: this.paths[index]!,
        released: this.released,
      };
      this.released = [];
      this.worker.postMessage(request);
    }
  }

  read(index: number): Promise<InputFile | Error> {
    this.aheadBytes -= this.aheadSizes.get(index) ?? 0;
    this.aheadSizes.delete(index);
    this.requestUpTo(index + 1 + READ_AHEAD, index);
    const read = this.reads.get(index);
    if (!read) return Promise.resolve(new Error(`no input ${index}`));
    this.reads.delete(index);
    return read;
  }

  release(index: number): void {
    this.released.push(index);
  }

  outputBuffer(length: number): Uint8Array {
    return this.outputs.lend(length) ?? Buffer.allocUnsafe(length);
  }

  write(path: string, bytes: Uint8Array): Promise<string> {
    if (this.failure) return Promise.reject(this.failure);
    if (!(bytes.buffer instanceof SharedArrayBuffer)) {
      // A file too large for a pooled buffer is written from here: handed to the worker, whose heap
      // hardly grows, it would stay there as garbage for a long time after the write.
      return writeHere(this.ownWrites, path, bytes);
    }
    const id = this.nextWrite++;
    const promise = new Promise<string>((resolve, reject) => this.writes.set(id, { resolve, reject }));
    const request: FileIoRequest = { type: 'write', id, path, bytes };
    // An outputBuffer: shared, so posted as it is; free again once the worker has written it.
    this.outputsInWrite.set(id, bytes.buffer);
    this.worker.postMessage(request);
    return promise;
  }

  async close(): Promise<void> {
    const request: FileIoRequest = { type: 'stop' };
    this.worker.postMessage(request);
    await Promise.allSettled([...this.ownWrites]);
    await this.exited;
  }

  private settle(reply: FileIoReply): void {
    if (reply.type === 'read') {
      const settle = this.unanswered.get(reply.index);
      this.unanswered.delete(reply.index);
      settle?.('error' in reply ? rebuildError(reply.error) : reply.file);
      return;
    }
    const output = this.outputsInWrite.get(reply.id);
    if (output) {
      this.outputsInWrite.delete(reply.id);
      this.outputs.giveBack(output);
    }
    const write = this.writes.get(reply.id);
    if (!write) return;
    this.writes.delete(reply.id);
    if ('error' in reply) write.reject(rebuildError(reply.error));
    else write.resolve(reply.sha256);
  }

  /** The thread stopped: whatever was still awaited fails. */
  private fail(error: Error): void {
    this.failure ??= error;
    for (const settle of this.unanswered.values()) settle(this.failure);
    this.unanswered.clear();
    for (const write of this.writes.values()) write.reject(this.failure);
    this.writes.clear();
  }
}
