import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readAnswerKey, type AnswerKey } from '../../src/answerkey/index.js';
import { registerReport } from '../../src/cli/commands/report.js';
import { ACTIONS, HIPAA_KINDS } from '../../src/phi/index.js';
import { generate } from '../../src/pipeline/generate.js';
import { hipaaKindOf, spreadIndices, writeReport } from '../../src/report/index.js';

let work: string;
let ds: string;
let key: AnswerKey;
let html: string;

/** The data-count of the bar labelled `label` in the chart with id `chart`. */
function barCount(page: string, chart: string, label: string): number | undefined {
  const start = page.indexOf(`id="${chart}"`);
  if (start < 0) return undefined;
  const section = page.slice(start, page.indexOf('</figure>', start));
  const m = new RegExp(`data-label="${label}" data-count="(\\d+)"`).exec(section);
  return m ? Number(m[1]) : undefined;
}

/** Each thumbnail figure's opening attributes and body. */
const figures = (page: string): string[] =>
  [...page.matchAll(/<figure class="thumb"[\s\S]*?<\/figure>/g)].map((m) => m[0]);

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'pseudophi-report-'));
  ds = join(work, 'ds');
  await generate({ out: ds, seed: '5', profile: 'fixture' });
  key = readAnswerKey(join(ds, 'answer_key.db'));
  await writeReport(ds);
  html = await readFile(join(ds, 'report.html'), 'utf8');
}, 120_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('report on a fixture dataset', () => {
  it('counts what the key holds: composition, actions, HIPAA kinds, categories', () => {
    const checks = key.instances.flatMap((i) => i.checks);
    const total = (name: string): number =>
      Number(new RegExp(`data-total="${name}" data-count="(\\d+)"`).exec(html)?.[1]);
    expect(total('instances')).toBe(key.instances.length);
    expect(total('patients')).toBe(new Set(key.instances.map((i) => i.patientId)).size);
    expect(total('studies')).toBe(new Set(key.instances.map((i) => i.studyInstanceUid)).size);
    expect(total('series')).toBe(new Set(key.instances.map((i) => i.seriesInstanceUid)).size);
    expect(total('checks')).toBe(checks.length);
    expect(total('decoy checks')).toBe(checks.filter((c) => c.isDecoy).length);
    for (const modality of new Set(key.instances.map((i) => i.modality)))
      expect(barCount(html, 'instances-by-modality', modality)).toBe(
        key.instances.filter((i) => i.modality === modality).length,
      );
    for (const action of ACTIONS)
      expect(barCount(html, 'checks-by-action', action)).toBe(
        checks.filter((c) => c.action === action).length,
      );
    for (const kind of HIPAA_KINDS)
      expect(barCount(html, 'checks-by-hipaa-kind', kind)).toBe(
        checks.filter((c) => hipaaKindOf(c) === kind).length,
      );
    // The fixture uses names, dates and IDs; the key's own phi_kind agrees with the report's kind where set.
    expect(barCount(html, 'checks-by-hipaa-kind', 'A')).toBeGreaterThan(0);
    for (const c of checks) if (c.phiKind) expect(hipaaKindOf(c)).toBe(c.phiKind);
    const iod = new Map<string, number>();
    for (const c of checks)
      if (c.categories.dicom.iod) iod.set(c.categories.dicom.iod, (iod.get(c.categories.dicom.iod) ?? 0) + 1);
    expect(iod.size).toBeGreaterThan(0);
    for (const [label, n] of iod) expect(barCount(html, 'category-dicom-iod', label)).toBe(n);
    for (const section of ['composition', 'checks', 'burned', 'run'])
      expect(html).toContain(`<section id="${section}">`);
  });

  it('shows every burned-in instance (fewer than the cap) with its pixels_hidden and line boxes', () => {
    const burned = key.instances.filter(
      (i) => key.burnedText.has(i.sopInstanceUid) || i.checks.some((c) => c.action === 'pixels_hidden'),
    );
    expect(burned.length).toBeGreaterThan(0);
    expect(burned.length).toBeLessThanOrEqual(24);
    const figs = figures(html);
    expect(figs.map((f) => /data-sop="([^"]+)"/.exec(f)?.[1])).toEqual(burned.map((i) => i.sopInstanceUid));
    for (const [n, fig] of figs.entries()) {
      const instance = burned[n]!;
      const hidden = instance.checks.filter((c) => c.action === 'pixels_hidden');
      const rows = key.burnedText.get(instance.sopInstanceUid) ?? [];
      const frame = rows.length > 0 ? Math.min(...rows.map((r) => r.frame)) : 0;
      expect(fig).toContain('href="data:image/png;base64,');
      expect(fig).not.toContain('not rendered');
      expect(fig.match(/<rect class="hidden-box"/g)?.length ?? 0).toBe(hidden.length);
      expect(fig.match(/<rect class="(line|decoy)-box"/g)?.length ?? 0).toBe(
        rows.filter((r) => r.frame === frame).length,
      );
      // Each pixels_hidden box is drawn where its action_text puts it.
      for (const c of hidden) {
        const b = JSON.parse(c.actionText!) as { top_left: [number, number]; bottom_right: [number, number] };
        const [x0, y0] = b.top_left;
        const [x1, y1] = b.bottom_right;
        expect(fig).toContain(
          `class="hidden-box" x="${x0}" y="${y0}" width="${x1 - x0}" height="${y1 - y0}"`,
        );
      }
    }
  });

  it('caps the thumbnails, chosen evenly and deterministically', async () => {
    const out = join(work, 'capped.html');
    const result = await writeReport(ds, { out, maxThumbnails: 5 });
    const page = await readFile(out, 'utf8');
    const all = figures(html).map((f) => /data-sop="([^"]+)"/.exec(f)?.[1]);
    expect(figures(page).map((f) => /data-sop="([^"]+)"/.exec(f)?.[1])).toEqual(
      spreadIndices(all.length, 5).map((i) => all[i]),
    );
    expect(result.summary.thumbnails).toHaveLength(5);
    expect(spreadIndices(3, 5)).toEqual([0, 1, 2]);
    expect(spreadIndices(10, 4)).toEqual([0, 2, 5, 7]);
  });

  it('records the seed, profile, tool and dependency versions', () => {
    const run = key.run!;
    expect(html).toContain(`<td id="run-seed">${run.seed}</td>`);
    expect(run.seed).toBe('5');
    expect(html).toContain('<td id="run-profile">fixture</td>');
    expect(html).toContain(`<td id="run-tool">pseudophi ${run.toolVersion}</td>`);
    for (const [name, version] of Object.entries(run.dependencyVersions))
      expect(html).toContain(`<tr><td>${name}</td><td>${version}</td></tr>`);
  });

  it('is self-contained and free of clock and absolute paths', () => {
    expect(html).not.toMatch(/<script|<link|<iframe|@import|url\(/i);
    expect(html.replaceAll('xmlns="http://www.w3.org/2000/svg"', '')).not.toMatch(/https?:\/\//);
    expect(html).not.toContain(work);
    expect(html).not.toMatch(/\b20\d\d-\d\d-\d\dT/);
  });

  it('is byte-identical across runs and written atomically (no partial file left)', async () => {
    const again = join(work, 'again.html');
    await writeReport(ds, { out: again });
    expect(await readFile(again)).toEqual(await readFile(join(ds, 'report.html')));
    const { readdir } = await import('node:fs/promises');
    expect((await readdir(work)).filter((n) => n.includes('.partial'))).toEqual([]);
  });

  it('runs as `pseudophi report DIR --out FILE`', async () => {
    let out = '';
    const o = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((out += String(chunk)), true));
    const program = new Command('pseudophi').exitOverride();
    registerReport(program);
    const file = join(work, 'cli.html');
    try {
      await program.parseAsync(['node', 'pseudophi', 'report', ds, '--out', file, '--quiet']);
    } finally {
      o.mockRestore();
    }
    expect(out).toContain(`-> ${file}`);
    expect(await readFile(file)).toEqual(await readFile(join(ds, 'report.html')));
  });
});
