/**
 * generate's file I/O (src/dicom/file-io-thread.ts): the worker thread and the in-thread fallback read,
 * hash and write alike, and report the same errors; an input's Pixel Data MD5 is reused only for the
 * same stored bytes. The worker loads compiled JavaScript, so the threaded path runs against dist/ and
 * is skipped, saying so, when dist/ is absent.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createDicomFile,
  DicomDataset,
  DicomElement,
  openFileIo,
  parseDicom,
  setStrings,
  storedPixelDataBytes,
  storedPixelDataMd5,
  storedPixelDataMd5Reusing,
  Tags,
  writeDicom,
  type FileIo,
} from '../../src/dicom/index.js';
import { PseudophiError } from '../../src/errors/index.js';

const DIST = fileURLToPath(new URL('../../dist/dicom/file-io-thread.js', import.meta.url));
const built = existsSync(DIST) && existsSync(DIST.replace('file-io-thread.js', 'file-io-worker.js'));
if (!built) process.stderr.write('file I/O thread test: dist/ is not built (npm run build); skipping\n');

const dirs: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'pseudophi-fileio-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const md5 = (b: Uint8Array): string => createHash('md5').update(b).digest('hex');

function instance(pixels: number[]): Uint8Array {
  const ds = new DicomDataset();
  setStrings(ds, Tags.SOPInstanceUID, '2.25.7');
  ds.put(new DicomElement(Tags.PixelData, 'OW', Uint8Array.from(pixels)));
  return writeDicom(createDicomFile(ds));
}

/** Inputs: a DICOM file, a file that is not DICOM, a missing file. */
function inputs(dir: string): string[] {
  writeFileSync(join(dir, 'a.dcm'), instance([1, 2, 3, 4]));
  writeFileSync(join(dir, 'b.txt'), 'not DICOM');
  return [join(dir, 'a.dcm'), join(dir, 'b.txt'), join(dir, 'missing.dcm')];
}

/** What a FileIo reads and writes, as plain data. */
async function exercise(io: FileIo, paths: string[], out: string): Promise<unknown> {
  io.readAhead(paths);
  const reads = [];
  for (let i = 0; i < paths.length; i++) {
    const r = await io.read(i);
    reads.push(
      r instanceof Error
        ? {
            error: r.message,
            code: (r as NodeJS.ErrnoException).code,
            pseudophi: r instanceof PseudophiError,
          }
        : { sha256: r.sha256, md5: r.pixelDataMd5, bytes: sha256(r.bytes) },
    );
  }
  const bytes = instance([9, 8, 7, 6]);
  const expected = sha256(bytes);
  const written = await io.write(join(out, 'x', 'y.dcm'), bytes);
  const failed = await io
    .write(join(out, 'a.dcm', 'no.dcm'), instance([1, 1]))
    .catch((e: Error) => e.message);
  await io.close();
  expect(written).toBe(expected);
  expect(sha256(readFileSync(join(out, 'x', 'y.dcm')))).toBe(expected);
  return { reads, failed: failed.replace(out, '<out>') };
}

describe('file I/O in the calling thread', () => {
  it('reads and hashes inputs, reports unreadable ones, writes and hashes outputs', async () => {
    const dir = tempDir();
    const paths = inputs(dir);
    const result = (await exercise(openFileIo({ thread: false }), paths, dir)) as {
      reads: Array<Record<string, unknown>>;
    };
    const a = readFileSync(paths[0]!);
    expect(result.reads[0]).toEqual({
      sha256: sha256(a),
      md5: md5(Uint8Array.from([1, 2, 3, 4])),
      bytes: sha256(a),
    });
    expect(result.reads[1]).toMatchObject({ md5: undefined });
    expect(result.reads[2]).toMatchObject({ code: 'ENOENT', pseudophi: false });
  });
});

describe.skipIf(!built)('file I/O thread (dist/)', () => {
  it('reads, hashes, writes and fails exactly as the calling thread does', async () => {
    const mod = (await import(DIST)) as typeof import('../../src/dicom/file-io-thread.js');
    const [one, two] = [tempDir(), tempDir()];
    const inThread = await exercise(mod.openFileIo({ thread: false }), inputs(one), one);
    const threaded = await exercise(mod.openFileIo(), inputs(two), two);
    expect(JSON.stringify(threaded).replaceAll(two, '<dir>')).toBe(
      JSON.stringify(inThread).replaceAll(one, '<dir>'),
    );
  });

  it('writes bytes outside its output buffers from the calling thread, leaving the worker none to hold', async () => {
    const mod = (await import(DIST)) as typeof import('../../src/dicom/file-io-thread.js');
    const io = mod.openFileIo();
    const path = join(tempDir(), 'z.dcm');
    const bytes = instance(new Array<number>(8192).fill(5)); // larger than Buffer's pool: its own buffer
    const expected = sha256(bytes);
    expect(await io.write(path, bytes)).toBe(expected);
    expect(bytes.byteLength).toBeGreaterThan(0); // not transferred to the worker
    expect(sha256(readFileSync(path))).toBe(expected);
    await io.close();
  });

  it('reads ahead no further than MAX_READ_AHEAD_BYTES beyond the input needed next', async () => {
    const mod = (await import(DIST)) as typeof import('../../src/dicom/file-io-thread.js');
    const dir = tempDir();
    // Six inputs of 24 MiB each: READ_AHEAD (4) of them would hold 96 MiB.
    const big = Buffer.alloc(24 * 1024 * 1024, 7);
    const paths = Array.from({ length: 6 }, (_, i) => join(dir, `${i}.bin`));
    for (const p of paths) writeFileSync(p, big);
    const io = mod.openFileIo();
    const ahead = (): number => (io as unknown as { bytesReadAhead: number }).bytesReadAhead;
    io.readAhead(paths);
    const bound = mod.MAX_READ_AHEAD_BYTES + big.length;
    expect(ahead()).toBeGreaterThan(0);
    expect(ahead()).toBeLessThan(bound);
    for (let i = 0; i < paths.length; i++) {
      const read = await io.read(i);
      expect(read).not.toBeInstanceOf(Error);
      expect((read as { bytes: Uint8Array }).bytes.length).toBe(big.length);
      io.release(i);
      expect(ahead()).toBeLessThan(bound);
    }
    expect(ahead()).toBe(0);
    await io.close();
  });

  it('answers reads asked for after its thread stopped with the error, rather than never', async () => {
    const mod = (await import(DIST)) as typeof import('../../src/dicom/file-io-thread.js');
    const io = mod.openFileIo();
    await io.close();
    io.readAhead(inputs(tempDir()));
    const read = await io.read(0);
    expect(read).toBeInstanceOf(Error);
    expect((read as Error).message).toMatch(/file I\/O thread exited/);
  });

  it('writes outputs encoded into its output buffers, and reuses a buffer only once its write is done', async () => {
    const mod = (await import(DIST)) as typeof import('../../src/dicom/file-io-thread.js');
    const io = mod.openFileIo();
    const dir = tempDir();
    const file = createDicomFile(parseDicom(instance(new Array<number>(8192).fill(3))).dataset);
    const expected = writeDicom(file);
    const encode = (): Uint8Array => writeDicom(file, { allocate: (n) => io.outputBuffer(n) });
    const first = encode();
    const second = encode();
    expect(second.buffer).not.toBe(first.buffer); // the first is not written yet
    expect([...first]).toEqual([...expected]);
    const firstBuffer = first.buffer;
    await io.write(join(dir, '1.dcm'), first);
    await io.write(join(dir, '2.dcm'), second);
    expect(encode().buffer).toBe(firstBuffer); // written, so free again
    await io.close();
    expect(sha256(readFileSync(join(dir, '1.dcm')))).toBe(sha256(expected));
    expect(sha256(readFileSync(join(dir, '2.dcm')))).toBe(sha256(expected));
  });
});

describe('storedPixelDataMd5Reusing', () => {
  const dataset = (pixels: number[]): DicomDataset => parseDicom(instance(pixels)).dataset;

  it('reuses a known MD5 only for the same stored bytes', () => {
    const source = dataset([1, 2, 3, 4]);
    const known = { bytes: storedPixelDataBytes(source), md5: 'f'.repeat(32) };
    expect(storedPixelDataMd5Reusing(dataset([1, 2, 3, 4]), known)).toBe('f'.repeat(32));
    expect(storedPixelDataMd5Reusing(dataset([1, 2, 3, 5]), known)).toBe(
      storedPixelDataMd5(dataset([1, 2, 3, 5])),
    );
    expect(storedPixelDataMd5Reusing(dataset([1, 2, 3, 4]), { bytes: known.bytes, md5: undefined })).toBe(
      md5(Uint8Array.from([1, 2, 3, 4])),
    );
    expect(storedPixelDataMd5Reusing(new DicomDataset(), known)).toBeUndefined();
  });
});
