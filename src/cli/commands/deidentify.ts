/** `pseudophi deidentify DIR --out DIR2 [--mode oracle|none] [--seed N]`: the reference de-identifiers. */
import type { Command } from 'commander';
import { ConfigError, PseudophiError } from '../../errors/index.js';
import type { DeidentifySummary } from '../../deid/index.js';
import { integerOption, terminalReporter } from '../options.js';

/** Most problems and failing checks printed; the counts are always printed. */
const SHOWN = 50;

/** Prints a run's summary: files, the output's own MIDI-B score by action, problems and failing checks. */
export function printDeidentifySummary(out: string, summary: DeidentifySummary): void {
  const tallies = Object.entries(summary.checks).filter(([, t]) => t.total > 0);
  const total = tallies.reduce((n, [, t]) => n + t.total, 0);
  const passed = tallies.reduce((n, [, t]) => n + t.passed, 0);
  const judged = tallies.reduce((n, [, t]) => n + t.passed + t.failed, 0);
  const byAction = tallies
    .map(([a, t]) => `${a} ${t.passed}/${t.total}${t.notJudged ? ` (${t.notJudged} need OCR)` : ''}`)
    .join(', ');
  process.stdout.write(
    `deidentify (${summary.mode}): ${summary.files} files (${summary.edited} edited, ${summary.copied} copied), ` +
      `${summary.mappings.uid.size} UIDs, ${summary.mappings.patientId.size} patient IDs -> ${out}\n` +
      `  checks passed: ${passed}/${judged} judged of ${total}: ${byAction}\n`,
  );
  for (const n of summary.notes.slice(0, SHOWN))
    process.stderr.write(`pseudophi: note: ${n.file}${n.path ? ` ${n.path}` : ''}: ${n.problem}\n`);
  if (summary.mode === 'oracle' && summary.failures.length > 0) {
    process.stderr.write(
      `pseudophi: ${summary.failures.length} checks the oracle cannot pass (defects of the key, or files ` +
        'that could not be de-identified):\n',
    );
    for (const f of summary.failures.slice(0, SHOWN))
      process.stderr.write(
        `  ${f.file} ${f.path} ${f.action} value=${JSON.stringify(f.value)}` +
          `${f.actionText === null ? '' : ` action_text=${JSON.stringify(f.actionText)}`}: ${f.detail}\n`,
      );
    if (summary.failures.length > SHOWN)
      process.stderr.write(`  ... and ${summary.failures.length - SHOWN} more\n`);
  }
  for (const e of summary.errors.slice(0, SHOWN)) process.stderr.write(`  ${e.file}: ${e.problem}\n`);
  if (summary.errors.length > SHOWN)
    process.stderr.write(`  ... and ${summary.errors.length - SHOWN} more\n`);
  if (summary.errors.length > 0)
    throw new PseudophiError(`deidentify: ${summary.errors.length} files could not be de-identified`);
}

/** Registers the `deidentify` command. */
export function registerDeidentify(program: Command): void {
  program
    .command('deidentify')
    .description('reference de-identifiers: oracle (what the answer key asks, exactly) or none (copy)')
    .argument('<dir>', 'dataset directory written by generate')
    .requiredOption('--out <dir>', 'output directory (must be new or empty, outside DIR)')
    .option('--mode <mode>', 'oracle or none', 'oracle')
    .option('--seed <n>', 'seed of the new UIDs, Patient IDs and date offsets (oracle)', '1')
    .option('--quiet', 'no progress output')
    .action(async (dir: string, options: { out: string; mode: string; seed: string; quiet?: boolean }) => {
      if (options.mode !== 'oracle' && options.mode !== 'none')
        throw new ConfigError(`--mode must be oracle or none, not ${JSON.stringify(options.mode)}`);
      const seed = String(integerOption('--seed', options.seed, 0));
      // Loaded here, not at start-up, so that other commands do not pay for it.
      const { deidentify } = await import('../../deid/index.js');
      const summary = await deidentify(
        { input: dir, out: options.out, mode: options.mode, seed },
        terminalReporter(options.quiet),
      );
      printDeidentifySummary(options.out, summary);
    });
}
