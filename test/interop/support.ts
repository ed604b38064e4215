/**
 * Shared by the interop suites: where Debian puts pydicom's test files, how to run the independent tools
 * (Debian's /usr/bin/python3 with python3-pydicom, dcmtk), a small process pool.
 */
import { execFile, spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** pydicom's test files as python3-pydicom installs them. */
export const TEST_FILES = '/usr/lib/python3/dist-packages/pydicom/data/test_files';

/** Debian's interpreter: `python3` on PATH may be another one without pydicom. */
export const PYTHON = '/usr/bin/python3';

export const PYTHON_DIR = join(dirname(fileURLToPath(import.meta.url)), 'python');

/** Every top-level `.dcm` in pydicom's test files, sorted (charset_files/ and the .gz are not DICOM test inputs here). */
export function pydicomTestFiles(): string[] {
  return readdirSync(TEST_FILES)
    .filter((name) => name.endsWith('.dcm'))
    .sort();
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a program to completion; stdout is decoded as Latin-1 so that no byte is lost. */
export function run(command: string, args: readonly string[], input?: string): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr!.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        code: code ?? -1,
        stdout: Buffer.concat(out).toString('latin1'),
        stderr: Buffer.concat(err).toString('latin1'),
      }),
    );
    if (input !== undefined) child.stdin!.end(input);
  });
}

/** Runs one of the scripts in test/interop/python with a JSON request on stdin; returns its JSON answer. */
export async function runPythonScript<T>(script: string, request: unknown): Promise<T> {
  const result = await run(PYTHON, [join(PYTHON_DIR, script)], JSON.stringify(request));
  if (result.code !== 0) throw new Error(`${script} failed (${result.code}): ${result.stderr.slice(-2000)}`);
  return JSON.parse(Buffer.from(result.stdout, 'latin1').toString('utf8')) as T;
}

/** Maps with at most `limit` tasks in flight, keeping the input order of results. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Whether a command exists (so a suite can say clearly what is missing rather than fail obscurely). */
export function hasCommand(command: string): Promise<boolean> {
  return new Promise((resolve) =>
    execFile('sh', ['-c', `command -v ${command}`], (error) => resolve(!error)),
  );
}
