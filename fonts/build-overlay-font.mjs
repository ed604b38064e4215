#!/usr/bin/env node
/**
 * Builds fonts/overlay-5x9.json from the readable glyph definitions in fonts/overlay-5x9.txt.
 * `node fonts/build-overlay-font.mjs` writes the JSON; `--check` exits 1 when the committed JSON is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const source = join(here, 'overlay-5x9.txt');
const target = join(here, 'overlay-5x9.json');

const WIDTH = 5;
const CAP_ROWS = 9;
const DESCENT_ROWS = 2;

/** Parses the definition file into [character, rows] pairs, in file order. */
function parse(text) {
  const glyphs = [];
  let current;
  text.split('\n').forEach((raw, index) => {
    const line = raw.trimEnd();
    const where = `overlay-5x9.txt:${index + 1}`;
    if (line.startsWith('#') && !/^[#.]{5}$/.test(line)) return;
    if (line === '') return;
    if (line.startsWith('== ')) {
      const name = line.slice(3);
      const char = name === 'space' ? ' ' : name;
      if ([...char].length !== 1)
        throw new Error(`${where}: glyph name ${JSON.stringify(name)} is not one character`);
      if (glyphs.some(([c]) => c === char))
        throw new Error(`${where}: glyph ${JSON.stringify(char)} defined twice`);
      current = [char, []];
      glyphs.push(current);
      return;
    }
    if (!current) throw new Error(`${where}: row before the first "== X" line`);
    if (!/^[#.]+$/.test(line) || line.length !== WIDTH)
      throw new Error(`${where}: a row is ${WIDTH} of "#" or "."`);
    current[1].push(line);
  });
  for (const [char, rows] of glyphs) {
    if (rows.length !== CAP_ROWS && rows.length !== CAP_ROWS + DESCENT_ROWS) {
      throw new Error(
        `glyph ${JSON.stringify(char)} has ${rows.length} rows, ${CAP_ROWS} or ${CAP_ROWS + DESCENT_ROWS} expected`,
      );
    }
    while (rows.length < CAP_ROWS + DESCENT_ROWS) rows.push('.'.repeat(WIDTH));
  }
  return glyphs;
}

const glyphs = parse(readFileSync(source, 'utf8'));
const font = {
  name: 'pseudophi overlay 5x9',
  licence: 'MIT',
  source: 'fonts/overlay-5x9.txt (built by fonts/build-overlay-font.mjs)',
  // Pen advance and line cell: 2 blank columns between glyphs, 2 blank rows above the cap height.
  advance: WIDTH + 2,
  glyphWidth: WIDTH,
  capHeight: CAP_ROWS,
  ascent: CAP_ROWS + 2,
  descent: DESCENT_ROWS,
  // Row 0 of every glyph is the cap-height row; row capHeight is the first row below the baseline.
  glyphs: Object.fromEntries(glyphs),
};
// One glyph a line, as prettier formats it, so that `prettier --check .` passes on the output.
const { glyphs: table, ...header } = font;
const lines = Object.entries(header).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)},`);
const rows = Object.entries(table).map(
  ([char, glyph]) => `    ${JSON.stringify(char)}: [${glyph.map((r) => JSON.stringify(r)).join(', ')}]`,
);
const json = `{\n${lines.join('\n')}\n  "glyphs": {\n${rows.join(',\n')}\n  }\n}\n`;
if (process.argv.includes('--check')) {
  const committed = readFileSync(target, 'utf8');
  if (committed !== json) {
    console.error('fonts/overlay-5x9.json is stale: run node fonts/build-overlay-font.mjs');
    process.exit(1);
  }
} else {
  writeFileSync(target, json);
}
