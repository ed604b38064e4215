/** Runs the CLI in-process with stdout and stderr captured, for command tests. */
import { vi } from 'vitest';
import { runCli } from '../../src/cli/program.js';

/** The exit code and everything a command printed. */
export async function runCaptured(
  argv: readonly string[],
): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((out += String(chunk)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((err += String(chunk)), true));
  try {
    return { code: await runCli(['node', 'pseudophi', ...argv]), out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}
