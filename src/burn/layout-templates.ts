/**
 * Burn layouts as data (templates/burn/*.json): which blocks of text a device or viewer draws, where,
 * from which values, in which fonts and sizes. Loaded and checked here; planned by layout.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BurnError } from './errors.js';
import { isBurnFontId, type BurnFontId } from './fonts.js';
import type { BurnContrast } from './types.js';

/** Where a block sits: a corner, or the middle of the top or bottom edge. */
export type BurnAnchor =
  | 'top-left'
  | 'top-right'
  | 'bottom-left'
  | 'bottom-right'
  | 'top-center'
  | 'bottom-center';

/** One piece of a line: a fixed label, a caller's value by key, or a seeded decoy. */
export type BurnPart =
  | { readonly text: string }
  | { readonly value: string }
  | { readonly pick: readonly string[]; readonly key: string }
  | {
      readonly range: readonly [number, number];
      readonly step?: number;
      readonly decimals?: number;
      readonly key: string;
    };

/** One line of a block; a line whose value is missing is left out. */
export interface BurnLineTemplate {
  readonly parts: readonly BurnPart[];
  /** Chance that the line is drawn at all (default 1). */
  readonly probability?: number;
}

/** Which frames of a multi-frame image a block is drawn on. */
export type BurnFrames = 'all' | 'first' | 'some';

/** A block of lines, stacked or in a row, anchored at one of the listed places. */
export interface BurnBlockTemplate {
  readonly id: string;
  readonly arrange: 'stack' | 'row';
  /** Places to try, in seeded order; the first where the block fits without overlapping wins. */
  readonly anchors: readonly BurnAnchor[];
  readonly fonts: readonly BurnFontId[];
  /** Cap height as a fraction of the image's shorter side, [min, max]. */
  readonly capHeight: readonly [number, number];
  readonly contrast: readonly BurnContrast[];
  readonly frames: BurnFrames;
  /** Distance from the image edge as a fraction of the shorter side, [min, max] (default [0.01, 0.03]). */
  readonly inset?: readonly [number, number];
  /** Chance that the block is drawn at all (default 1). */
  readonly probability?: number;
  readonly lines: readonly BurnLineTemplate[];
}

/** A named layout and the modalities it models. */
export interface BurnLayout {
  readonly name: string;
  readonly description: string;
  /** Modalities it is chosen for; `*` marks the fallback for modalities no layout names. */
  readonly modalities: readonly string[];
  readonly blocks: readonly BurnBlockTemplate[];
}

/** templates/burn, found relative to this module (the same depth under src/ and dist/). */
export function burnTemplatesDir(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'templates', 'burn');
}

const ANCHORS: readonly BurnAnchor[] = [
  'top-left',
  'top-right',
  'bottom-left',
  'bottom-right',
  'top-center',
  'bottom-center',
];
const CONTRASTS: readonly BurnContrast[] = ['box', 'outline', 'none'];

function fail(file: string, problem: string): never {
  throw new BurnError(`${file}: ${problem}`, { file });
}

const isFraction = (v: unknown): v is number => typeof v === 'number' && v >= 0 && v <= 1;
const isPair = (v: unknown): v is [number, number] =>
  Array.isArray(v) && v.length === 2 && v.every(isFraction) && (v[0] as number) <= (v[1] as number);

/** Checks one parsed layout file; throws a BurnError naming the file and the problem. */
export function checkBurnLayout(data: unknown, file: string): BurnLayout {
  const layout = data as BurnLayout;
  if (typeof layout?.name !== 'string' || layout.name === '') fail(file, 'layout has no name');
  if (!Array.isArray(layout.modalities) || layout.modalities.length === 0) fail(file, 'no modalities');
  if (!Array.isArray(layout.blocks) || layout.blocks.length === 0) fail(file, 'no blocks');
  const ids = new Set<string>();
  for (const block of layout.blocks) {
    const where = `block ${JSON.stringify(block.id)}`;
    if (typeof block.id !== 'string' || ids.has(block.id)) fail(file, `${where}: missing or repeated id`);
    ids.add(block.id);
    if (block.arrange !== 'stack' && block.arrange !== 'row') fail(file, `${where}: arrange is stack or row`);
    if (!block.anchors?.length || !block.anchors.every((a: BurnAnchor) => ANCHORS.includes(a)))
      fail(file, `${where}: anchors must be among ${ANCHORS.join(', ')}`);
    if (!block.fonts?.length || !block.fonts.every(isBurnFontId)) fail(file, `${where}: unknown font`);
    if (!isPair(block.capHeight)) fail(file, `${where}: capHeight is [min, max] fractions`);
    if (block.inset !== undefined && !isPair(block.inset))
      fail(file, `${where}: inset is [min, max] fractions`);
    if (!block.contrast?.length || !block.contrast.every((c: BurnContrast) => CONTRASTS.includes(c)))
      fail(file, `${where}: contrast must be among ${CONTRASTS.join(', ')}`);
    if (!['all', 'first', 'some'].includes(block.frames))
      fail(file, `${where}: frames is all, first or some`);
    if (block.probability !== undefined && !isFraction(block.probability))
      fail(file, `${where}: probability`);
    if (!block.lines?.length) fail(file, `${where}: no lines`);
    for (const line of block.lines) {
      if (!line.parts?.length) fail(file, `${where}: a line without parts`);
      if (line.probability !== undefined && !isFraction(line.probability))
        fail(file, `${where}: probability`);
      for (const part of line.parts) {
        const ok =
          ('text' in part && typeof part.text === 'string') ||
          ('value' in part && typeof part.value === 'string') ||
          ('pick' in part &&
            Array.isArray(part.pick) &&
            part.pick.length > 0 &&
            typeof part.key === 'string') ||
          ('range' in part &&
            Array.isArray(part.range) &&
            part.range.length === 2 &&
            part.range[0] <= part.range[1] &&
            typeof part.key === 'string');
        if (!ok) fail(file, `${where}: part ${JSON.stringify(part)} is not text, value, pick or range`);
      }
    }
  }
  return layout;
}

let cached: readonly BurnLayout[] | undefined;

/** Loads (once per process for the default folder) and checks every layout, sorted by name. */
export function loadBurnLayouts(dir?: string): readonly BurnLayout[] {
  if (!dir && cached) return cached;
  const folder = dir ?? burnTemplatesDir();
  const files = readdirSync(folder)
    .filter((f) => f.endsWith('.json'))
    .sort();
  const layouts = files.map((f) => checkBurnLayout(JSON.parse(readFileSync(join(folder, f), 'utf8')), f));
  const names = new Set<string>();
  for (const layout of layouts) {
    if (names.has(layout.name))
      throw new BurnError(`layout ${layout.name} is defined twice`, { dir: folder });
    names.add(layout.name);
  }
  layouts.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (!dir) cached = layouts;
  return layouts;
}
