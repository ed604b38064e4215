/**
 * `generate` with identities from every locale (issue 7): the dataset passes `verify`, each locale's
 * character set is written as a device of its country writes it (or ISO_IR 192 for all with `utf8`), and
 * the names read back from the files with their component groups. pydicom's reading of the same datasets
 * is checked by test/interop/generate-midi-b-score.test.ts.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getString, parseDicom, readStrings, requireTag, textCodecOf } from '../../src/dicom/index.js';
import { IDENTITY_LOCALES } from '../../src/identity/index.js';
import { generate, type GenerateSummary } from '../../src/pipeline/generate.js';
import { digests } from '../helpers/digests.js';

const EVERY_LOCALE = IDENTITY_LOCALES.map((l) => [l, 1] as const);
let work: string;

/** Specific Character Set and Patient's Name of every output file. */
async function namesAndSets(dir: string): Promise<Array<{ set: string; name: string }>> {
  const out: Array<{ set: string; name: string }> = [];
  for (const path of (await digests(join(dir, 'dicom'))).keys()) {
    const { dataset } = parseDicom(await readFile(join(dir, 'dicom', path)));
    const set = dataset.get(requireTag('SpecificCharacterSet'));
    out.push({
      set: set ? readStrings(set, textCodecOf(dataset)).join('\\') : '',
      name: getString(dataset, requireTag('PatientName')) ?? '',
    });
  }
  return out;
}

describe('generate with every identity locale', () => {
  const summaries = new Map<string, GenerateSummary>();
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'pseudophi-locales-'));
    for (const characterSet of ['locale', 'utf8'] as const)
      summaries.set(
        characterSet,
        await generate({
          out: join(work, characterSet),
          seed: '4',
          profile: 'fixture',
          patients: 18,
          locales: EVERY_LOCALE,
          characterSet,
          verify: true,
        }),
      );
  }, 180_000);
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it("passes verify, in the countries' character sets and in UTF-8", () => {
    for (const [policy, summary] of summaries) {
      expect(summary.verify?.problems, policy).toEqual([]);
      expect(summary.instances, policy).toBeGreaterThan(60);
    }
  });

  it('writes each locale in its own character set, and names with their component groups', async () => {
    const files = await namesAndSets(join(work, 'locale'));
    const sets = new Set(files.map((f) => f.set));
    for (const set of [
      'ISO_IR 100',
      'ISO_IR 126',
      'ISO_IR 144',
      'ISO 2022 IR 6\\ISO 2022 IR 87',
      '\\ISO 2022 IR 149',
      'GB18030',
    ])
      expect(sets.has(set), set).toBe(true);
    // Japanese: alphabetic=ideographic=phonetic; Chinese and Korean: at least two groups.
    expect(
      files.some((f) =>
        /^[A-Za-z]+\^[A-Za-z]+=\p{Script=Han}+\^\p{Script=Han}+=\p{Script=Hiragana}+\^\p{Script=Hiragana}+$/u.test(
          f.name,
        ),
      ),
    ).toBe(true);
    expect(
      files.some(
        (f) => /=\p{Script=Hangul}/u.test(f.name) || /^[A-Za-z]+\^[A-Za-z-]+=\p{Script=Han}+/u.test(f.name),
      ),
    ).toBe(true);
    expect(files.some((f) => /\p{Script=Greek}/u.test(f.name))).toBe(true);
    expect(files.some((f) => /\p{Script=Cyrillic}/u.test(f.name))).toBe(true);
  });

  it("writes in UTF-8 every file that needs more than its input's set with --charset utf8, the same names", async () => {
    const [byLocale, utf8] = [
      await namesAndSets(join(work, 'locale')),
      await namesAndSets(join(work, 'utf8')),
    ];
    // An input's own set is kept where it holds the new text (the corpus declares ISO_IR 100).
    expect(new Set(utf8.map((f) => f.set))).toEqual(new Set(['ISO_IR 192', 'ISO_IR 100']));
    for (const [i, f] of utf8.entries())
      if (byLocale[i]!.set !== 'ISO_IR 100') expect(f.set, f.name).toBe('ISO_IR 192');
    expect(utf8.map((f) => f.name)).toEqual(byLocale.map((f) => f.name));
  });

  it('records the locales and the character-set policy in the manifest', async () => {
    const manifest = JSON.parse(await readFile(join(work, 'utf8', 'manifest.json'), 'utf8')) as {
      options: { locales: unknown; characterSet: string };
    };
    expect(manifest.options.locales).toEqual(EVERY_LOCALE.map(([l, n]) => [l, n]));
    expect(manifest.options.characterSet).toBe('utf8');
  });
});
