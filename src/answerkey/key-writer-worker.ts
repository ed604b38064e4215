/**
 * Worker thread entry of key-writer-thread.ts: inserts the rows it is sent into the scratch database,
 * committing every `batchSize` instances, and finishes the key on `close`. Any error ends the thread
 * and reaches the calling thread, which deletes the scratch file.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { KeyWriterMessage, KeyWriterReply, KeyWriterWorkerData } from './key-writer-thread.js';
import type { Check } from './check.js';
import { KeyStore } from './sqlite.js';

const port = parentPort!;
const { partialPath, batchSize, resume } = workerData as KeyWriterWorkerData;
const store = new KeyStore(partialPath, resume);
const started: KeyWriterReply = { type: 'started', stored: resume ? store.storedInstances() : [] };
port.postMessage(started);
let uncommitted = 0;
store.begin();

port.on('message', (message: KeyWriterMessage) => {
  if (message.type === 'rows') {
    if (message.reset) store.forget();
    store.define(JSON.parse(message.defs) as Check[]);
    for (const op of message.ops) {
      if ('define' in op) store.define(JSON.parse(op.defs) as Check[], op.define);
      else if ('forget' in op) store.forget(op.forget);
      else {
        store.insertEntry(op);
        uncommitted++;
      }
    }
    if (uncommitted >= batchSize) {
      store.commit();
      store.begin();
      uncommitted = 0;
    }
    const written: KeyWriterReply = { type: 'written' };
    port.postMessage(written);
    return;
  }
  store.commit();
  if (message.type === 'abort') {
    store.close();
    port.close();
    return;
  }
  store.finish(message.run, message.path);
  const reply: KeyWriterReply = { type: 'closed' };
  port.postMessage(reply);
  port.close();
});
