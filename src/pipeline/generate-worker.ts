/**
 * A worker thread of generate-pool.ts: generates one instance per task with the run's identities, writes
 * its output file (atomically) and answers with its outcome and its rows for the key, the checks numbered
 * in this thread's namespace (see InternedChecks).
 */
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { CheckInterner, MAX_DEFINED_CHECKS, validateChecks, type Check } from '../answerkey/index.js';
import {
  readInputBytesSync,
  sha256Hex,
  SharedBufferPool,
  writeFileAtomicSync,
  type InputFile,
} from '../dicom/index.js';
import type { PoolResult, PoolWorkerData } from './generate-pool.js';
import { InstanceGenerator, type InstanceTask } from './instance.js';
import { instancePlanner } from './planner.js';
import { NAMESPACES_PER_THREAD } from './generate-pool.js';

const { out, seed, identities, language, burnShares } = Piscina.workerData as PoolWorkerData;
const generator = new InstanceGenerator(instancePlanner(seed, identities, language), burnShares);
const interner = new CheckInterner();
/** Numbering generations of this thread: a fresh namespace each time the interner starts afresh. */
let generation = 0;

/**
 * Buffers for inputs and outputs, reused from task to task (as the file I/O thread does): a fresh one
 * per file (up to tens of MB) costs page faults and native-heap churn.
 */
const buffers = new SharedBufferPool();

/** A buffer lent from `buffers`, or a fresh one when the file is too large to pool. */
function lendBuffer(length: number, lent: SharedArrayBuffer[]): Uint8Array {
  const view = buffers.lend(length);
  if (!view) return new Uint8Array(length);
  lent.push(view.buffer as SharedArrayBuffer);
  return view;
}

/** Reads an input; the MD5 of its Pixel Data is left to the generator (taken from the output's bytes). */
function readInput(path: string, lent: SharedArrayBuffer[]): InputFile | Error {
  try {
    const bytes = readInputBytesSync(path, { allocate: (size) => lendBuffer(size, lent) });
    return { bytes, sha256: sha256Hex(bytes), pixelDataMd5: undefined };
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

/**
 * The previous task's end. A task that awaits (the burner's first load) must not let a later task of this
 * thread overtake it: checks are numbered in the order tasks arrive, which is the order they are handed on.
 */
let previous: Promise<unknown> = Promise.resolve();

/** Generates one instance (the pool's task function), after the tasks this thread was given before it. */
export default function generateTaskInOrder(task: InstanceTask): Promise<PoolResult> {
  const next = previous.then(() => generateTask(task));
  previous = next.catch(() => undefined);
  return next;
}

/** Generates one instance. */
async function generateTask(task: InstanceTask): Promise<PoolResult> {
  const lent: SharedArrayBuffer[] = [];
  let result;
  try {
    result = await generator.generate(task, readInput(task.source.path, lent), (length) =>
      lendBuffer(length, lent),
    );
    if ('rejected' in result) return { outcome: result };
    writeFileAtomicSync(join(out, result.outcome.file.outputPath), result.bytes);
    result.outcome.file.sha256 = sha256Hex(result.bytes);
  } finally {
    // Nothing returned refers to the input or output bytes (values, checks and rows are strings).
    for (const buffer of lent) buffers.giveBack(buffer);
  }
  const { outcome, key, checks, burned } = result;
  validateChecks(checks);
  if (interner.size > MAX_DEFINED_CHECKS) {
    interner.reset();
    generation++;
  }
  const namespace = threadId * NAMESPACES_PER_THREAD + generation;
  const defs: Check[] = [];
  const ids = interner.intern(checks, defs);
  return {
    outcome,
    instance: { key, checks: { namespace, ids }, burned, file: outcome.file },
    ...(defs.length > 0 ? { defs: JSON.stringify(defs) } : {}),
  };
}
