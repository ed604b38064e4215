/**
 * The inputs a dataset was generated from, for checks that compare outputs with their sources (burned
 * pixels): the folder the user names, or the built-in corpus regenerated from the manifest's seed,
 * profile and patient count (the corpus is deterministic, so it is the same bytes the run read).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCorpus } from '../corpus/index.js';
import { PseudophiError } from '../errors/index.js';
import { silentReporter, type Reporter } from './reporter.js';

/** The manifest fields that say where a run's inputs came from. */
interface SourceManifest {
  seed: string;
  options: { input: string; profile: string; patients: number | null };
}

/**
 * Calls `use` with the folder of the dataset's inputs: `input` when given; else, for a run on the
 * built-in corpus, that corpus regenerated into a scratch folder (removed afterwards); else undefined.
 */
export async function withDatasetSources<T>(
  dir: string,
  input: string | undefined,
  use: (sources: string | undefined) => Promise<T>,
  reporter: Reporter = silentReporter,
): Promise<T> {
  if (input) return use(input);
  let manifest: SourceManifest;
  try {
    manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as SourceManifest;
  } catch (error) {
    throw new PseudophiError(`${dir} has no readable manifest.json (${(error as Error).message})`, {
      file: dir,
    });
  }
  if (!manifest.options?.input?.startsWith('corpus:')) return use(undefined);
  const scratch = await mkdtemp(join(tmpdir(), 'pseudophi-sources-'));
  try {
    await generateCorpus(
      {
        out: scratch,
        seed: manifest.seed,
        profile: manifest.options.profile,
        ...(manifest.options.patients ? { patients: manifest.options.patients } : {}),
      },
      { progress: (p) => reporter.progress('corpus', p.written, p.total) },
    );
    return await use(join(scratch, 'dicom'));
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
