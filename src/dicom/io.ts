/** File I/O for DICOM: read-only opening of inputs, atomic writing of outputs. */
import { open, readFile, rename, writeFile, unlink, mkdir } from 'node:fs/promises';
import {
  closeSync,
  constants,
  fstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { DicomParseError } from '../errors/index.js';
import type { DicomFile } from './dataset.js';
import { parseDicom, type ReadOptions } from './read.js';
import { writeDicom, type WriteOptions } from './write.js';

/** Largest input pseudophi reads (bounds memory per file); larger files are rejected with a clear error. */
export const MAX_INPUT_BYTES = 2 ** 31 - 1;

/** SHA-256 (hex) of a file, read as a stream: files of any size (an answer key can pass 4 GB). */
export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  // 1 MiB reads: at the stream's default 64 KiB a key of several GB spends a third of its time in reads.
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Reads a file's bytes, opened read-only, refusing files over the size bound. */
export async function readInputBytes(path: string, maxBytes = MAX_INPUT_BYTES): Promise<Uint8Array> {
  const handle = await open(path, constants.O_RDONLY);
  try {
    const { size } = await handle.stat();
    if (size > maxBytes)
      throw new DicomParseError(`file is ${size} bytes, over the ${maxBytes}-byte limit`, path, 0);
    const buffer = await readFile(handle);
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  } finally {
    await handle.close();
  }
}

/**
 * `readInputBytes` with blocking calls, for a thread that does nothing else (the file I/O thread): each
 * promise step costs a round trip through libuv's thread pool, more CPU than the read itself.
 */
export function readInputBytesSync(
  path: string,
  options: { maxBytes?: number; allocate?: (size: number) => Uint8Array } = {},
): Uint8Array {
  const maxBytes = options.maxBytes ?? MAX_INPUT_BYTES;
  const fd = openSync(path, constants.O_RDONLY);
  try {
    const { size } = fstatSync(fd);
    if (size > maxBytes)
      throw new DicomParseError(`file is ${size} bytes, over the ${maxBytes}-byte limit`, path, 0);
    if (!options.allocate) {
      const buffer = readFileSync(fd);
      return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    }
    // Into the caller's buffer of `size` bytes (a regular file's size is its length).
    const out = options.allocate(size);
    let got = 0;
    while (got < size) {
      const bytesRead = readSync(fd, out, got, size - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return got < size ? out.subarray(0, got) : out;
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads at most the first `length` bytes of a file, opened read-only. The calls are synchronous: a header
 * prefix takes microseconds, and a scan of many files would otherwise wait for four promise round trips
 * per file.
 */
export async function readInputPrefix(
  path: string,
  length: number,
): Promise<{ bytes: Uint8Array; whole: boolean }> {
  const fd = openSync(path, constants.O_RDONLY);
  try {
    const { size } = fstatSync(fd);
    const want = Math.min(size, length);
    const buffer = Buffer.alloc(want);
    let got = 0;
    while (got < want) {
      const bytesRead = readSync(fd, buffer, got, want - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return { bytes: new Uint8Array(buffer.buffer, buffer.byteOffset, got), whole: got >= size };
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads a file's header: every element before Pixel Data. Reads a prefix first and the whole file only
 * when the header is longer than that (or the data set is deflated), so scanning a folder of large
 * images costs little more than their headers.
 */
export async function readDicomHeader(
  path: string,
  options: { displayPath?: string; prefixBytes?: number } = {},
): Promise<DicomFile> {
  const displayPath = options.displayPath ?? path;
  const prefix = await readInputPrefix(path, options.prefixBytes ?? 64 * 1024);
  try {
    return parseDicom(prefix.bytes, { path: displayPath, untilPixelData: true });
  } catch (error) {
    // A file no longer than the prefix was read whole: its errors are the file's own. Otherwise the
    // header did not fit in the prefix (or needs the whole file): read it all below.
    if (prefix.whole) throw error;
  }
  return parseDicom(await readInputBytes(path), { path: displayPath, untilPixelData: true });
}

/** Reads and parses a DICOM file from disk (never writes to it). */
export async function readDicomFile(
  path: string,
  options: Omit<ReadOptions, 'path'> = {},
): Promise<DicomFile> {
  const bytes = await readInputBytes(path);
  return parseDicom(bytes, { ...options, path });
}

/** Writes bytes so that the file appears complete or not at all: a temporary name, then rename. */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.partial`);
  try {
    // The folder is made only when missing: most files of a run go into a folder that exists already.
    await writeFile(temporary, bytes).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
      await mkdir(dirname(path), { recursive: true });
      await writeFile(temporary, bytes);
    });
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}

/** `writeFileAtomic` with blocking calls, for a thread that does nothing else (see readInputBytesSync). */
export function writeFileAtomicSync(path: string, bytes: Uint8Array): void {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.partial`);
  try {
    try {
      writeFileSync(temporary, bytes);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(temporary, bytes);
    }
    renameSync(temporary, path);
  } catch (error) {
    try {
      unlinkSync(temporary);
    } catch {
      // nothing was written, or it is gone already
    }
    throw error;
  }
}

/** Encodes and atomically writes a DICOM file. */
export async function writeDicomFile(
  path: string,
  file: DicomFile,
  options: WriteOptions = {},
): Promise<void> {
  await writeFileAtomic(path, writeDicom(file, options));
}
