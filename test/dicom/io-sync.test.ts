/**
 * The blocking file calls of the file I/O thread (readInputBytesSync, writeFileAtomicSync) behave as the
 * promise-based ones the calling thread uses: same bytes, same errors, same atomic write.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  readInputBytes,
  readInputBytesSync,
  readInputFile,
  readInputFileSync,
  writeFileAtomic,
  writeFileAtomicSync,
} from '../../src/dicom/index.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pseudophi-io-sync-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const message = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
  }
  return 'no error';
};

describe('readInputBytesSync', () => {
  it('reads the bytes readInputBytes reads, into a buffer of their own', async () => {
    const path = join(dir, 'a.bin');
    const bytes = Uint8Array.from({ length: 70_000 }, (_, i) => i % 251);
    await writeFile(path, bytes);
    const read = readInputBytesSync(path);
    expect(read).toEqual(await readInputBytes(path));
    expect(read.byteOffset === 0 && read.byteLength === read.buffer.byteLength).toBe(true);
  });

  it('reads into a buffer the caller allocates', async () => {
    const path = join(dir, 'b.bin');
    await writeFile(path, Uint8Array.of(5, 6, 7));
    const pool = new Uint8Array(new SharedArrayBuffer(16));
    const read = readInputBytesSync(path, { allocate: (size) => pool.subarray(0, size) });
    expect(read.buffer).toBe(pool.buffer);
    expect([...read]).toEqual([5, 6, 7]);
  });

  it('refuses a file over the size bound and a missing file with the messages of readInputBytes', async () => {
    const path = join(dir, 'big.dcm');
    await writeFile(path, new Uint8Array(100));
    const expected = await readInputBytes(path, 50).catch((e: Error) => e.message);
    expect(message(() => readInputBytesSync(path, { maxBytes: 50 }))).toBe(expected);
    const missing = join(dir, 'missing.dcm');
    const expectedMissing = await readInputBytes(missing).catch((e: Error) => e.message);
    expect(message(() => readInputBytesSync(missing))).toBe(expectedMissing);
  });

  it('readInputFileSync hashes as readInputFile does (a file that is not DICOM has no pixel MD5)', async () => {
    const path = join(dir, 'text.txt');
    await writeFile(path, 'not dicom');
    expect(readInputFileSync(path)).toEqual(await readInputFile(path));
  });
});

describe('writeFileAtomicSync', () => {
  it('writes into a folder it creates, leaving no scratch file', async () => {
    const path = join(dir, 'a', 'b', 'file.dcm');
    writeFileAtomicSync(path, Uint8Array.of(1, 2, 3));
    expect(new Uint8Array(await readFile(path))).toEqual(Uint8Array.of(1, 2, 3));
    expect(await readdir(join(dir, 'a', 'b'))).toEqual(['file.dcm']);
  });

  it('fails as writeFileAtomic does when the target cannot be written, leaving no scratch file', async () => {
    const blocker = join(dir, 'blocker');
    await writeFile(blocker, 'a file, not a folder');
    const path = join(dir, 'blocker', 'file.dcm');
    const expected = await writeFileAtomic(path, Uint8Array.of(1)).catch(
      (e: NodeJS.ErrnoException) => e.code,
    );
    let code: string | undefined;
    try {
      writeFileAtomicSync(path, Uint8Array.of(1));
    } catch (error) {
      code = (error as NodeJS.ErrnoException).code;
    }
    expect(code).toBe(expected);
    expect(code).toBeDefined();
    expect(await readdir(dir)).toEqual(['blocker']);
  });
});
