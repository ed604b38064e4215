/** `pseudophi merge SHARD_DIR... --out DIR`. */
import type { Command } from 'commander';
import { terminalReporter } from '../options.js';

/** Registers the `merge` command. */
export function registerMerge(program: Command): void {
  program
    .command('merge')
    .description('join the shard datasets of one `generate --shard K/N` run into the unsharded dataset')
    .argument('<shards...>', 'the N shard directories (any order)')
    .requiredOption('--out <dir>', 'output directory (must be new or empty)')
    .option('--quiet', 'no progress output')
    .action(async (shards: string[], options: { out: string; quiet?: boolean }) => {
      const started = process.hrtime.bigint();
      const { mergeShards } = await import('../../pipeline/merge.js');
      const summary = await mergeShards(shards, options.out, terminalReporter(options.quiet));
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      process.stdout.write(
        `merge: ${summary.shards} shards, ${summary.instances} instances, ${summary.checks} checks in ` +
          `${seconds.toFixed(1)} s -> ${options.out}\n`,
      );
    });
}
