/**
 * The report as one self-contained HTML page: inline CSS, inline SVG charts, thumbnails as PNG data
 * URIs inside SVG with their boxes drawn over them; no script, no external resource, no date. Pure:
 * the same summary gives the same bytes.
 */
import type { ReportBox, ReportLine, ReportSummary, RunInfo, Tally, ThumbnailChoice } from './summary.js';

/** A thumbnail's pixels, or why there are none. */
export type ThumbnailPixels =
  | {
      readonly columns: number;
      readonly rows: number;
      readonly width: number;
      readonly height: number;
      readonly png: Buffer;
    }
  | { readonly error: string };

/** Escapes text for HTML content and double-quoted attributes. */
export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;',
  );

const fmt = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** Bars drawn per chart; the rest is summed in the caption. */
const MAX_BARS = 40;

const CSS = `
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:1100px;padding:1em 2em;color:#1d2430;background:#fff}
h1{font-size:1.6em;margin:.4em 0}h2{font-size:1.25em;margin:1.6em 0 .5em;border-bottom:1px solid #d5dbe3;padding-bottom:.2em}
h3{font-size:1em;margin:1em 0 .3em}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #d5dbe3;padding:.2em .6em;text-align:left;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.totals{display:flex;flex-wrap:wrap;gap:.6em}.totals div{border:1px solid #d5dbe3;border-radius:6px;padding:.4em .9em}
.totals b{display:block;font-size:1.4em}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(480px,1fr));gap:1em}
figure{margin:0}figcaption{color:#5a6577;font-size:.9em}
svg.chart text{font:12px system-ui,sans-serif;fill:#1d2430}svg.chart rect.bar{fill:#3c6fb4}svg.chart rect.zero{fill:#c9d2de}
.thumbs{display:grid;grid-template-columns:repeat(auto-fill,minmax(270px,1fr));gap:1em}
.thumb svg{background:#000;display:block;max-width:100%;height:auto}
.thumb rect.hidden-box{fill:none;stroke:#ff3b30}.thumb rect.line-box{fill:none;stroke:#ffd60a}.thumb rect.decoy-box{fill:none;stroke:#30d158}
.thumb figcaption{word-break:break-all}.legend span{display:inline-block;width:1em;height:.5em;border:2px solid;margin:0 .3em 0 1em;vertical-align:middle}
pre{background:#f4f6f9;padding:.6em;overflow:auto;font-size:.9em}
.error{color:#b00020}
`;

/** A horizontal bar chart of one tally, with a data table behind it in the attributes (for tests and tools). */
export function toBarChart(tally: Tally): string {
  const shown = tally.entries.slice(0, MAX_BARS);
  const rest = tally.entries.slice(MAX_BARS);
  const max = Math.max(1, ...shown.map((e) => e.count));
  const labelWidth = Math.min(260, Math.max(60, ...shown.map((e) => e.label.length * 7 + 10)));
  const barWidth = 300;
  const rowHeight = 18;
  const width = labelWidth + barWidth + 80;
  const height = Math.max(1, shown.length) * rowHeight + 4;
  const bars = shown
    .map((e, i) => {
      const y = i * rowHeight + 2;
      const w = e.count === 0 ? 2 : Math.max(1, Math.round((e.count / max) * barWidth));
      const tip = escapeHtml(e.title ? `${e.label}: ${e.title}` : e.label);
      return (
        `<g class="bar" data-label="${escapeHtml(e.label)}" data-count="${e.count}"><title>${tip}: ${fmt(e.count)}</title>` +
        `<text x="${labelWidth - 6}" y="${y + 13}" text-anchor="end">${escapeHtml(e.label)}</text>` +
        `<rect class="${e.count === 0 ? 'zero' : 'bar'}" x="${labelWidth}" y="${y + 2}" width="${w}" height="${rowHeight - 5}"/>` +
        `<text x="${labelWidth + w + 5}" y="${y + 13}">${fmt(e.count)}</text></g>`
      );
    })
    .join('');
  const notes: string[] = [];
  if (rest.length > 0)
    notes.push(`${rest.length} more values (${fmt(rest.reduce((s, e) => s + e.count, 0))}) not drawn`);
  if (tally.unset > 0) notes.push(`${fmt(tally.unset)} without a value`);
  const total = tally.entries.reduce((s, e) => s + e.count, 0);
  return (
    `<figure class="chart" id="${tally.id}" data-total="${total}" data-unset="${tally.unset}">` +
    `<h3>${escapeHtml(tally.title)}</h3>` +
    `<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(tally.title)}">${bars}</svg>` +
    `<figcaption>total ${fmt(total)}${notes.length > 0 ? `; ${notes.join('; ')}` : ''}</figcaption></figure>`
  );
}

const boxRect = (b: ReportBox, cls: string): string =>
  `<rect class="${cls}" x="${b.left}" y="${b.top}" width="${b.width}" height="${b.height}" vector-effect="non-scaling-stroke" stroke-width="2"><title>${escapeHtml(b.text)}</title></rect>`;

/** One thumbnail figure: the PNG in an SVG in image coordinates, pixels_hidden and line boxes over it. */
export function toThumbnailFigure(choice: ThumbnailChoice, pixels: ThumbnailPixels): string {
  const attrs =
    `class="thumb" data-sop="${escapeHtml(choice.sopInstanceUid)}" data-modality="${escapeHtml(choice.modality)}" ` +
    `data-frame="${choice.frame}" data-hidden-boxes="${choice.hidden.length}" data-line-boxes="${choice.lines.length}"`;
  const caption =
    `<figcaption>${escapeHtml(choice.modality)} · patient ${escapeHtml(choice.patientId)} · frame ${choice.frame + 1}` +
    ` · ${choice.hidden.length} pixels_hidden box${choice.hidden.length === 1 ? '' : 'es'}, ${choice.lines.length} line${choice.lines.length === 1 ? '' : 's'}` +
    `<br><small>${escapeHtml(choice.outputPath)}</small></figcaption>`;
  if ('error' in pixels) {
    return `<figure ${attrs}><p class="error">not rendered: ${escapeHtml(pixels.error)}</p>${caption}</figure>`;
  }
  const lines = choice.lines.map((l: ReportLine) => boxRect(l, l.phi ? 'line-box' : 'decoy-box')).join('');
  const hidden = choice.hidden.map((b) => boxRect(b, 'hidden-box')).join('');
  return (
    `<figure ${attrs}><svg xmlns="http://www.w3.org/2000/svg" width="${pixels.width}" height="${pixels.height}" ` +
    `viewBox="0 0 ${pixels.columns} ${pixels.rows}" preserveAspectRatio="none">` +
    `<image width="${pixels.columns}" height="${pixels.rows}" preserveAspectRatio="none" href="data:image/png;base64,${pixels.png.toString('base64')}"/>` +
    `${lines}${hidden}</svg>${caption}</figure>`
  );
}

const runSection = (run: RunInfo | null): string => {
  if (!run)
    return '<section id="run"><h2>Run</h2><p>No manifest.json: the run is not recorded.</p></section>';
  const deps = Object.keys(run.dependencies)
    .sort()
    .map((k) => `<tr><td>${escapeHtml(k)}</td><td>${escapeHtml(run.dependencies[k]!)}</td></tr>`)
    .join('');
  return (
    `<section id="run"><h2>Run</h2><table>` +
    `<tr><th>Seed</th><td id="run-seed">${escapeHtml(run.seed)}</td></tr>` +
    `<tr><th>Profile</th><td id="run-profile">${escapeHtml(run.profile ?? '(none)')}</td></tr>` +
    `<tr><th>Tool</th><td id="run-tool">${escapeHtml(run.tool)} ${escapeHtml(run.toolVersion)}</td></tr>` +
    `<tr><th>Rejected inputs</th><td class="n">${fmt(run.rejects)}</td></tr>` +
    `<tr><th>Left unburned</th><td class="n">${fmt(run.unburned)}</td></tr></table>` +
    `<h3>Dependency versions</h3><table id="run-versions"><tr><th>Dependency</th><th>Version</th></tr>${deps}</table>` +
    `<h3>Options</h3><pre id="run-options">${escapeHtml(JSON.stringify(run.options, null, 2))}</pre></section>`
  );
};

/** The whole page. `pixels[i]` is the rendering of `summary.thumbnails[i]`; `name` titles the page. */
export function toReportHtml(
  summary: ReportSummary,
  pixels: readonly ThumbnailPixels[],
  name: string,
): string {
  const t = summary.totals;
  const totals = (
    [
      ['patients', t.patients],
      ['studies', t.studies],
      ['series', t.series],
      ['instances', t.instances],
      ['burned-in instances', t.burned],
      ['checks', t.checks],
      ['decoy checks', t.decoys],
    ] as const
  )
    .map(([label, n]) => `<div data-total="${label}" data-count="${n}"><b>${fmt(n)}</b>${label}</div>`)
    .join('');
  const modalityRows = summary.modalities
    .map(
      (m) =>
        `<tr data-modality="${escapeHtml(m.modality)}"><td>${escapeHtml(m.modality)}</td><td class="n">${fmt(m.patients)}</td>` +
        `<td class="n">${fmt(m.studies)}</td><td class="n">${fmt(m.series)}</td><td class="n">${fmt(m.instances)}</td>` +
        `<td class="n">${fmt(m.burned)}</td><td class="n">${fmt(m.checks)}</td></tr>`,
    )
    .join('');
  const byModality = (
    id: string,
    title: string,
    pick: (m: ReportSummary['modalities'][number]) => number,
  ): Tally => ({
    id,
    title,
    entries: summary.modalities.map((m) => ({ label: m.modality, count: pick(m) })),
    unset: 0,
  });
  const composition = [
    byModality('instances-by-modality', 'Instances by modality', (m) => m.instances),
    byModality('series-by-modality', 'Series by modality', (m) => m.series),
    byModality('studies-by-modality', 'Studies by modality', (m) => m.studies),
    byModality('patients-by-modality', 'Patients by modality', (m) => m.patients),
    summary.instancesPerPatient,
  ]
    .map(toBarChart)
    .join('');
  const thumbs = summary.thumbnails
    .map((c, i) => toThumbnailFigure(c, pixels[i] ?? { error: 'missing' }))
    .join('');
  const title = `pseudophi report: ${name}`;
  return (
    `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${escapeHtml(title)}</title><style>${CSS}</style></head><body>` +
    `<h1>${escapeHtml(title)}</h1>` +
    `<section id="composition"><h2>Composition</h2><div class="totals">${totals}</div>` +
    `<table id="modalities"><tr><th>Modality</th><th class="n">Patients</th><th class="n">Studies</th><th class="n">Series</th>` +
    `<th class="n">Instances</th><th class="n">Burned-in</th><th class="n">Checks</th></tr>${modalityRows}</table>` +
    `<div class="charts">${composition}</div></section>` +
    `<section id="checks"><h2>Checks</h2><div class="charts">` +
    `${toBarChart(summary.actions)}${toBarChart(summary.hipaaKinds)}${toBarChart(summary.scorerCategories)}</div>` +
    `<h3>By answer_category_v2 field</h3><div class="charts">${summary.categoryFields.map(toBarChart).join('')}</div></section>` +
    `<section id="burned"><h2>Burned-in instances</h2>` +
    `<p>${fmt(summary.thumbnails.length)} of ${fmt(t.burned)} burned-in instances shown, spread evenly over the key's order.` +
    `<span class="legend"><span style="border-color:#ff3b30"></span>pixels_hidden box` +
    `<span style="border-color:#ffd60a"></span>PHI line<span style="border-color:#30d158"></span>decoy line</span></p>` +
    `<div class="thumbs">${thumbs}</div></section>` +
    `${runSection(summary.run)}</body></html>\n`
  );
}
