/**
 * Worker thread entry of file-io-thread.ts: reads and hashes inputs (handing their bytes over), writes
 * and hashes outputs, and on `stop` ends. It does nothing else, so it uses blocking file calls: the
 * promise API's round trips through libuv's thread pool cost more CPU than the reads and writes, and
 * this thread shares the machine with the one generating. Requests are answered in the order they came.
 */
import { parentPort } from 'node:worker_threads';
import {
  describeError,
  readInputFileSync,
  sha256Hex,
  type FileIoReply,
  type FileIoRequest,
} from './file-io-thread.js';
import { writeFileAtomicSync } from './io.js';

const port = parentPort!;

function read(index: number, path: string): void {
  let reply: FileIoReply;
  try {
    const file = readInputFileSync(path);
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
  if (request.type === 'read') read(request.index, request.path);
  else if (request.type === 'write') write(request.id, request.path, request.bytes);
  else port.close();
});
