/** The command-line program: one command per file under commands/. The only place that uses commander. */
import { Command, CommanderError } from 'commander';
import { PseudophiError } from '../errors/index.js';
import { VERSION } from '../version.js';
import { registerCorpus } from './commands/corpus.js';
import { registerDeidentify } from './commands/deidentify.js';
import { registerGenerate } from './commands/generate.js';
import { registerInspect } from './commands/inspect.js';
import { registerMerge } from './commands/merge.js';
import { registerReport } from './commands/report.js';
import { registerReproduce } from './commands/reproduce.js';
import { registerScore } from './commands/score.js';
import { registerVerify } from './commands/verify.js';
import { closeAllProgress } from './progress.js';

/** Builds the program with every command registered. */
export function buildProgram(): Command {
  const program = new Command('pseudophi')
    .description('Builds benchmark datasets for DICOM de-identification, with MIDI-B answer keys.')
    .version(VERSION)
    .showHelpAfterError()
    .exitOverride();
  registerInspect(program);
  registerGenerate(program);
  registerVerify(program);
  registerMerge(program);
  registerReproduce(program);
  registerReport(program);
  registerCorpus(program);
  registerDeidentify(program);
  registerScore(program);
  return program;
}

/** Runs the CLI; returns the exit code (0 ok, 1 failure, 2 usage error). Errors become one clear line. */
export async function runCli(argv: readonly string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv as string[]);
    return 0;
  } catch (error) {
    // A bar still drawn would take the message onto its line.
    closeAllProgress();
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof PseudophiError) {
      process.stderr.write(`pseudophi: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
