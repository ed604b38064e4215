/** Option parsing and terminal output shared by the commands. */
import { ConfigError } from '../errors/index.js';
import type { Reporter } from '../pipeline/reporter.js';

/** Parses a non-negative integer option, or throws ConfigError naming the option. */
export function integerOption(name: string, text: string, min: number): number {
  if (!/^\d+$/.test(text.trim()) || Number(text) < min || !Number.isSafeInteger(Number(text))) {
    throw new ConfigError(`${name} must be an integer >= ${min}, not ${JSON.stringify(text)}`);
  }
  return Number(text);
}

/** A reporter that draws one updating progress line per stage on a terminal and prints warnings. */
export function terminalReporter(quiet = false): Reporter {
  let last = 0;
  let lastStage = '';
  return {
    progress(stage, done, total) {
      if (quiet || !process.stderr.isTTY) return;
      const now = Date.now();
      if (stage === lastStage && now - last < 200 && done !== total) return;
      if (stage !== lastStage && lastStage) process.stderr.write('\n');
      last = now;
      lastStage = stage;
      process.stderr.write(`\r${stage}: ${done}/${total}`);
      if (done === total) {
        process.stderr.write('\n');
        lastStage = '';
      }
    },
    warn(message) {
      process.stderr.write(`pseudophi: warning: ${message}\n`);
    },
  };
}
