/**
 * The HTML report opened in a real browser: Debian's headless Chromium loads it from file://, with no
 * network, and must log no console message (the page has no script, so any message is an error: a
 * resource that failed, a parse problem), dump a DOM with every section and thumbnail, decode every
 * embedded PNG and take a screenshot. Runs on the fixture dataset and on one generated from pydicom's
 * messy test files (many pixel formats and transfer syntaxes among the burned-in thumbnails).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../src/pipeline/generate.js';
import { writeReport, type ReportResult } from '../../src/report/index.js';
import { hasCommand, run, TEST_FILES, type RunResult } from './support.js';

const CHROMIUM = 'chromium';
const available = await hasCommand(CHROMIUM);
if (!available) process.stderr.write('report-chromium: chromium missing (see .ci/run); skipping.\n');

/** Headless Chromium on a local file: no GPU, no sandbox (root in CI), console messages to stderr. */
function chromium(args: readonly string[], file: string): Promise<RunResult> {
  return run('timeout', [
    '120',
    CHROMIUM,
    '--headless',
    '--disable-gpu',
    '--no-sandbox',
    '--no-first-run',
    '--disable-extensions',
    '--enable-logging=stderr',
    '--v=0',
    '--virtual-time-budget=10000',
    ...args,
    pathToFileURL(file).href,
  ]);
}

/** Console messages and uncaught errors in Chromium's log (`INFO:CONSOLE(12)] "..."`, `Uncaught ...`). */
const consoleLines = (stderr: string): string[] =>
  stderr.split('\n').filter((line) => /:CONSOLE[:(\]]|Uncaught/.test(line));

/**
 * A script appended to a copy of the report: every embedded image again as an <img> in the document (so
 * that it delays the load event), then, at load, which of them the browser decoded, recorded on <body>
 * where --dump-dom shows it. (Awaiting img.decode() one by one stalls under headless virtual time.)
 */
const PROBE = `<script>
(() => {
  const hrefs = [...document.querySelectorAll('figure.thumb image')].map((i) => i.getAttribute('href'));
  const box = document.createElement('div');
  box.hidden = true;
  const imgs = hrefs.map((href) => {
    const img = document.createElement('img');
    img.src = href;
    box.appendChild(img);
    return img;
  });
  document.body.appendChild(box);
  window.addEventListener('load', () => {
    const failed = imgs.flatMap((img, n) => (img.complete && img.naturalWidth > 0 ? [] : [n]));
    document.body.setAttribute('data-probe', 'decoded ' + (imgs.length - failed.length) + ' of ' + imgs.length +
      (failed.length ? ' failed ' + failed.join(',') : ''));
    box.remove();
  });
})();
</script>`;

/** Runs the probe on a copy of a report page; returns what it recorded. */
async function probe(html: string, file: string): Promise<{ probe: string | undefined; console: string[] }> {
  await writeFile(
    file,
    html.replace('</body>', () => `${PROBE}</body>`),
  );
  const result = await chromium(['--dump-dom'], file);
  return { probe: /data-probe="([^"]*)"/.exec(result.stdout)?.[1], console: consoleLines(result.stderr) };
}

interface Case {
  name: string;
  dir: string;
  result?: ReportResult;
}

let work: string;
const cases: Case[] = [];

beforeAll(async () => {
  if (!available) return;
  work = await mkdtemp(join(tmpdir(), 'pseudophi-report-chromium-'));
  cases.push({ name: 'fixture', dir: join(work, 'fixture') });
  await generate({ out: cases[0]!.dir, seed: '21', profile: 'fixture' });
  if (existsSync(TEST_FILES)) {
    cases.push({ name: 'pydicom test files', dir: join(work, 'pydicom') });
    await generate({ input: TEST_FILES, out: cases[1]!.dir, seed: '21', profile: 'fixture' });
  }
  for (const c of cases) c.result = await writeReport(c.dir);
});

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe.skipIf(!available)('the HTML report in headless Chromium', () => {
  it('the harness sees console errors when a page has them', async () => {
    const bad = join(work, 'bad.html');
    await writeFile(
      bad,
      '<!DOCTYPE html><html><body><script>console.error("boom"); nope();</script></body></html>',
    );
    const result = await chromium(['--dump-dom'], bad);
    expect(consoleLines(result.stderr).join('\n')).toMatch(/boom[\s\S]*Uncaught ReferenceError/);
  });

  it('renders every section and thumbnail without a console message', async () => {
    expect(cases.length).toBeGreaterThan(0);
    for (const c of cases) {
      const file = c.result!.path;
      const result = await chromium(['--dump-dom'], file);
      expect(result.code, `${c.name}: ${result.stderr.slice(-2000)}`).toBe(0);
      expect(consoleLines(result.stderr), c.name).toEqual([]);
      const dom = result.stdout;
      for (const id of ['composition', 'checks', 'burned', 'run'])
        expect(dom, `${c.name}: section ${id}`).toContain(`<section id="${id}">`);
      for (const id of [
        'instances-by-modality',
        'checks-by-action',
        'checks-by-hipaa-kind',
        'checks-by-category',
      ])
        expect(dom, `${c.name}: chart ${id}`).toContain(`id="${id}"`);
      const shown = c.result!.summary.thumbnails.length;
      expect(shown, c.name).toBeGreaterThan(0);
      expect(dom.match(/<figure class="thumb"/g)?.length, c.name).toBe(shown);
      expect(c.result!.thumbnailErrors, c.name).toEqual([]);
      expect(dom).toContain(`<td id="run-seed">21</td>`);
    }
  });

  it('decodes every embedded thumbnail (and the probe sees one that does not decode)', async () => {
    for (const [n, c] of cases.entries()) {
      const html = await readFile(c.result!.path, 'utf8');
      const shown = c.result!.summary.thumbnails.length;
      const good = await probe(html, join(work, `probe-${n}.html`));
      expect(good.console, c.name).toEqual([]);
      expect(good.probe, c.name).toBe(`decoded ${shown} of ${shown}`);
      if (n > 0) continue;
      const corrupt = html.replace('data:image/png;base64,iVBOR', 'data:image/png;base64,AAAAA');
      expect((await probe(corrupt, join(work, 'probe-corrupt.html'))).probe).toBe(
        `decoded ${shown - 1} of ${shown} failed 0`,
      );
    }
  });

  it('takes a screenshot', async () => {
    const c = cases[0]!;
    const png = join(work, 'shot.png');
    const result = await chromium(['--window-size=1200,3000', `--screenshot=${png}`], c.result!.path);
    expect(consoleLines(result.stderr)).toEqual([]);
    expect((await stat(png)).size).toBeGreaterThan(10_000);
  });
});
