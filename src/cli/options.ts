/** Option parsing and terminal output shared by the commands. */
import { ConfigError } from '../errors/index.js';
import { createProgressReporter, type ProgressReporter } from './progress.js';

/** Parses a non-negative integer option, or throws ConfigError naming the option. */
export function integerOption(name: string, text: string, min: number): number {
  if (!/^\d+$/.test(text.trim()) || Number(text) < min || !Number.isSafeInteger(Number(text))) {
    throw new ConfigError(`${name} must be an integer >= ${min}, not ${JSON.stringify(text)}`);
  }
  return Number(text);
}

/**
 * The commands' reporter on stderr: progress bars on a terminal, plain lines otherwise, only warnings
 * when `quiet` (see progress.ts).
 */
export function terminalReporter(quiet = false): ProgressReporter {
  return createProgressReporter({ stream: process.stderr, now: () => performance.now(), quiet });
}
