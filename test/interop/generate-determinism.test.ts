/**
 * Issue 3, "Done when" 5: the output does not depend on how the inputs are laid out. The fixture corpus is
 * copied into a second folder with another layout (flat: 256 buckets of random-looking names derived from
 * a fixed hash of each original path, so the walk order is unrelated to the original one), and generate
 * runs on both with the same seed:
 *
 * - dicom/: the same relative paths with byte-identical files;
 * - manifest.json: the same `outputs[].path` and `outputs[].sha256` lists; `inputs[]` and
 *   `outputs[].source` differ only in the input paths (the renaming maps one onto the other);
 * - answer_key.db: byte-identical (it names each source by its SHA-256; paths are in the manifest only).
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  filesUnder,
  generateFrom,
  readManifest,
  writeFixtureCorpus,
  type Manifest,
} from './generate-datasets.js';

const sha256 = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

/** The second layout's path of an original relative path: flat, named by a fixed hash. */
const renamed = (relativePath: string): string => {
  const h = sha256(`pseudophi interop layout\u0000${relativePath}`);
  return `${h.slice(0, 2)}/${h.slice(2, 18)}.bin`;
};

let work: string;
let original: string;
let shuffled: string;
let renaming: Map<string, string>;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'pseudophi-generate-layout-'));
  const corpus = await writeFixtureCorpus(join(work, 'corpus'));
  const flat = join(work, 'flat');
  renaming = new Map();
  for (const relativePath of filesUnder(corpus)) {
    const target = renamed(relativePath);
    renaming.set(relativePath, target);
    mkdirSync(join(flat, target.split('/')[0]!), { recursive: true });
    copyFileSync(join(corpus, relativePath), join(flat, target));
  }
  original = join(work, 'original-out');
  shuffled = join(work, 'shuffled-out');
  await generateFrom(corpus, original);
  await generateFrom(flat, shuffled);
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/**
 * Every row of every table (in rowid order, or primary-key order for a WITHOUT ROWID table) and view, with
 * the schema.
 */
function dumpKey(path: string): Record<string, unknown[]> {
  const db = new Database(path, { readonly: true });
  try {
    const tables = db
      .prepare("SELECT name, type, sql FROM sqlite_master WHERE type IN ('table', 'view') ORDER BY name")
      .all() as Array<{ name: string; type: string; sql: string }>;
    const out: Record<string, unknown[]> = { schema: tables.map((t) => t.sql) };
    for (const { name, type, sql } of tables) {
      const byRowid = type === 'table' && !/WITHOUT ROWID/i.test(sql);
      out[name] = db.prepare(`SELECT * FROM "${name}"${byRowid ? ' ORDER BY rowid' : ''}`).all();
    }
    out['pragmas'] = [db.pragma('user_version', { simple: true }), db.pragma('page_size', { simple: true })];
    return out;
  } finally {
    db.close();
  }
}

describe('generate from the fixture corpus in another folder layout', () => {
  it('really uses another layout: no input path in common', () => {
    const a = readManifest(original).inputs.map((i) => i.path);
    const b = new Set(readManifest(shuffled).inputs.map((i) => i.path));
    expect(a.length).toBeGreaterThan(0);
    expect(a.filter((p) => b.has(p))).toEqual([]);
  });

  it('writes byte-identical dicom/ files at the same paths', () => {
    const digests = (dir: string): Array<[string, string]> =>
      filesUnder(join(dir, 'dicom')).map((f) => [f, sha256(readFileSync(join(dir, 'dicom', f)))]);
    const a = digests(original);
    expect(a.length).toBe(readManifest(original).outputs.length);
    expect(digests(shuffled)).toEqual(a);
    process.stdout.write(`layout determinism: ${a.length} dicom/ files byte-identical across layouts\n`);
  });

  it('writes a manifest that differs only in input paths', () => {
    const a = readManifest(original);
    const b = readManifest(shuffled);
    const outputs = (m: Manifest): Array<[string, string]> => m.outputs.map((o) => [o.path, o.sha256]);
    expect(outputs(b)).toEqual(outputs(a));
    expect(b.outputs.map((o) => o.source)).toEqual(a.outputs.map((o) => renaming.get(o.source)));
    // Inputs are listed in the order of their keys, whatever their names.
    const inputs = (m: Manifest, rename: (p: string) => string): string[] =>
      m.inputs.map((i) => `${rename(i.path)} ${i.sha256}`);
    expect(inputs(b, (p) => p)).toEqual(inputs(a, (p) => renaming.get(p)!));
    expect(b.counts).toEqual(a.counts);
  });

  it('writes a byte-identical answer key: it names sources by content, never by path', () => {
    const a = dumpKey(join(original, 'answer_key.db'));
    const b = dumpKey(join(shuffled, 'answer_key.db'));
    expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
    for (const table of Object.keys(a)) expect(b[table], table).toEqual(a[table]);
    expect((a['answer_data'] as unknown[]).length).toBeGreaterThan(0);
    expect(sha256(readFileSync(join(shuffled, 'answer_key.db')))).toBe(
      sha256(readFileSync(join(original, 'answer_key.db'))),
    );
    process.stdout.write(
      `layout determinism: answer_key.db byte-identical (${(a['answer_data'] as unknown[]).length} answer_data ` +
        `rows, ${(a['checks'] as unknown[]).length} checks)\n`,
    );
  });
});
