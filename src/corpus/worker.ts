/** Worker thread entry of worker-pool.ts: builds and encodes the instances it is asked for. */
import { parentPort, workerData } from 'node:worker_threads';
import { initializeCodecs } from '../dicom/index.js';
import type { CorpusPlan } from './plan.js';
import { loadCorpusTemplates } from './templates.js';
import type { WorkerReply } from './worker-pool.js';
import { instanceContexts, renderInstance } from './write.js';

const port = parentPort!;
const { plan } = workerData as { plan: CorpusPlan };
const templates = loadCorpusTemplates();
const contexts = [...instanceContexts(plan, templates)];
await initializeCodecs();

port.on('message', (index: number) => {
  let reply: WorkerReply;
  try {
    const encoded = renderInstance(contexts[index]!, templates);
    // A fresh buffer of exactly these bytes, so it can be transferred without detaching a shared pool.
    const bytes =
      encoded.byteOffset === 0 && encoded.byteLength === encoded.buffer.byteLength
        ? encoded
        : encoded.slice();
    reply = { index, bytes };
    port.postMessage(reply, [bytes.buffer as ArrayBuffer]);
    return;
  } catch (error) {
    reply = { index, error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply);
});
const ready: WorkerReply = { ready: true };
port.postMessage(ready);
