/** `pseudophi corpus`: placeholder until the corpus module lands (being written in src/corpus/). */
import type { Command } from 'commander';

export function registerCorpus(_program: Command): void {}
