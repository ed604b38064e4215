/**
 * Worker thread entry of file-io-thread.ts: reads and hashes inputs (handing their bytes over), writes
 * and hashes outputs, and on `stop` finishes what it was asked for and ends.
 */
import { parentPort } from 'node:worker_threads';
import {
  describeError,
  readInputFile,
  sha256Hex,
  type FileIoReply,
  type FileIoRequest,
} from './file-io-thread.js';
import { writeFileAtomic } from './io.js';

const port = parentPort!;
const inFlight = new Set<Promise<void>>();

const track = (work: Promise<void>): void => {
  inFlight.add(work);
  void work.finally(() => inFlight.delete(work));
};

async function read(index: number, path: string): Promise<void> {
  let reply: FileIoReply;
  try {
    const file = await readInputFile(path);
    // Handed over without a copy when the bytes own their buffer (a file read does).
    if (file.bytes.byteOffset !== 0 || file.bytes.byteLength !== file.bytes.buffer.byteLength)
      file.bytes = file.bytes.slice();
    reply = { type: 'read', index, file };
    port.postMessage(reply, [file.bytes.buffer as ArrayBuffer]);
    return;
  } catch (error) {
    reply = { type: 'read', index, error: describeError(error) };
  }
  port.postMessage(reply);
}

async function write(id: number, path: string, bytes: Uint8Array): Promise<void> {
  let reply: FileIoReply;
  try {
    const sha256 = sha256Hex(bytes);
    await writeFileAtomic(path, bytes);
    reply = { type: 'written', id, sha256 };
  } catch (error) {
    reply = { type: 'written', id, error: describeError(error) };
  }
  port.postMessage(reply);
}

port.on('message', (request: FileIoRequest) => {
  if (request.type === 'read') track(read(request.index, request.path));
  else if (request.type === 'write') track(write(request.id, request.path, request.bytes));
  else void Promise.allSettled([...inFlight]).then(() => port.close());
});
