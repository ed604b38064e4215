/**
 * Worker thread entry of file-io-thread.ts: reads and hashes inputs (handing their bytes over), writes
 * and hashes outputs, and on `stop` ends. It does nothing else, so it uses blocking file calls: the
 * promise API's round trips through libuv's thread pool cost more CPU than the reads and writes, and
 * this thread shares the machine with the one generating. Requests are answered in the order they came.
 */
import { parentPort } from 'node:worker_threads';
import {
  describeError,
  MAX_REUSED_INPUT_BYTES_IN_IO_THREAD,
  readInputFileSync,
  SharedBufferPool,
  sha256Hex,
  type FileIoReply,
  type FileIoRequest,
} from './file-io-thread.js';
import { writeFileAtomicSync } from './io.js';

const port = parentPort!;
/**
 * Inputs are read into shared buffers lent to the calling thread until it releases them, then reused:
 * a fresh buffer per file costs page faults here and garbage collection there.
 */
const inputs = new SharedBufferPool(undefined, MAX_REUSED_INPUT_BYTES_IN_IO_THREAD);
const lentInputs = new Map<number, SharedArrayBuffer>();

function read(index: number, path: string, released: readonly number[]): void {
  for (const done of released) {
    const buffer = lentInputs.get(done);
    lentInputs.delete(done);
    if (buffer) inputs.giveBack(buffer);
  }
  let reply: FileIoReply;
  let lent: SharedArrayBuffer | undefined;
  try {
    const file = readInputFileSync(path, (size) => {
      const view = inputs.lend(size);
      lent = view?.buffer as SharedArrayBuffer | undefined;
      return view ?? new Uint8Array(size);
    });
    reply = { type: 'read', index, file };
    if (lent) {
      lentInputs.set(index, lent);
      port.postMessage(reply);
      return;
    }
    // A file too large to pool: handed over without a copy when the bytes own their buffer.
    if (file.bytes.byteOffset !== 0 || file.bytes.byteLength !== file.bytes.buffer.byteLength)
      file.bytes = file.bytes.slice();
    port.postMessage(reply, [file.bytes.buffer as ArrayBuffer]);
    return;
  } catch (error) {
    if (lent) inputs.giveBack(lent);
    reply = { type: 'read', index, error: describeError(error) };
  }
  port.postMessage(reply);
}

function write(id: number, path: string, bytes: Uint8Array): void {
  let reply: FileIoReply;
  try {
    const sha256 = sha256Hex(bytes);
    writeFileAtomicSync(path, bytes);
    reply = { type: 'written', id, sha256 };
  } catch (error) {
    reply = { type: 'written', id, error: describeError(error) };
  }
  port.postMessage(reply);
}

port.on('message', (request: FileIoRequest) => {
  if (request.type === 'read') read(request.index, request.path, request.released);
  else if (request.type === 'write') write(request.id, request.path, request.bytes);
  else port.close();
});
