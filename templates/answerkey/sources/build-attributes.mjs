#!/usr/bin/env node
// Builds ../attributes.json from the three text tables beside this script and the project's
// PS3.6 dictionary (src/dicom/data/dictionary.json). Run from the repository root:
//   node templates/answerkey/sources/build-attributes.mjs
// The output is deterministic (attributes in tag order, fixed key order) and committed.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
const dictionary = JSON.parse(readFileSync(join(root, 'src/dicom/data/dictionary.json'), 'utf8'));

const lines = (file) =>
  readFileSync(join(here, file), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split(/\s+/));

const OPTION_KEYS = {
  d: 'cleanDescriptors',
  v: 'retainDeviceIdentity',
  m: 'retainLongitudinalModifiedDates',
  p: 'retainPatientCharacteristics',
  u: 'retainUids',
  i: 'retainInstitutionIdentity',
  s: 'cleanStructuredContent',
  g: 'cleanGraphics',
};

const byHex = new Map();
for (const [hex, row] of Object.entries(dictionary.standard)) byHex.set(hex.toUpperCase(), row);
for (const [hex, row] of Object.entries(dictionary.repeaters)) byHex.set(hex.toUpperCase(), row);
const hexOfKeyword = new Map();
for (const [hex, row] of byHex) if (row[3]) hexOfKeyword.set(row[3], hex);

const entries = new Map(); // keyword -> entry
const missing = [];
for (const [hexRaw, basic, ...opts] of lines('ps315-e1-1.txt')) {
  const hex = hexRaw.toUpperCase().replace(/XX/g, 'xx');
  const row = byHex.get(hex.toUpperCase()) ?? byHex.get(hex);
  const lookup = row ?? byHex.get(hexRaw.toUpperCase().replace('XX', 'xx'));
  if (!lookup) {
    missing.push(hexRaw);
    continue;
  }
  const options = {};
  for (const o of opts) {
    const [k, v] = o.split(':');
    options[OPTION_KEYS[k]] = v;
    if (k === 'm') options.retainLongitudinalFullDates = 'K';
  }
  const sorted = Object.fromEntries(Object.entries(options).sort(([a], [b]) => (a < b ? -1 : 1)));
  entries.set(lookup[3], {
    hex: hexRaw.toUpperCase().replace(/X/g, 'x'),
    row: lookup,
    ps315: { basic, options: sorted },
  });
}

// Attributes TCIA handles that Table E.1-1 does not list (AE titles, SR text, more dates and times).
const EXTRA = [
  'RetrieveAETitle',
  'StationAETitle',
  'InstanceCreationDate',
  'InstanceCreationTime',
  'DateOfSecondaryCapture',
  'TimeOfSecondaryCapture',
  'DateOfLastCalibration',
  'TimeOfLastCalibration',
  'ObservationDateTime',
  'DateTime',
  'Date',
  'Time',
  'TextValue',
];
for (const keyword of EXTRA) {
  if (entries.has(keyword)) continue;
  const hex = hexOfKeyword.get(keyword);
  if (!hex) throw new Error(`unknown keyword ${keyword}`);
  entries.set(keyword, { hex, row: byHex.get(hex), ps315: null });
}

const overlay = new Map(
  lines('tcia-hipaa.txt').map(([k, disp, h]) => [k, { disp, hipaa: h === '-' ? null : h }]),
);
const hipaaExtra = new Map(lines('hipaa-extra.txt').map(([k, h]) => [k, h]));
for (const k of [...overlay.keys(), ...hipaaExtra.keys()]) {
  if (!entries.has(k)) {
    const hex = hexOfKeyword.get(k);
    if (!hex) throw new Error(`unknown keyword ${k}`);
    entries.set(k, { hex, row: byHex.get(hex), ps315: null });
  }
}

const basicCategory = (basic) => `TCIA-P15-BASIC-${basic ?? 'X'}`;

function derive(keyword, e) {
  const vr = e.row[0];
  const basic = e.ps315?.basic ?? null;
  const opts = e.ps315?.options ?? {};
  const o = overlay.get(keyword);
  let disposition;
  let from = 'derived';
  if (o) {
    disposition = o.disp;
    from = 'midi-b-dataset';
  } else if (vr === 'DA' || vr === 'DT') disposition = 'shift';
  else if (vr === 'TM') disposition = 'keep-time';
  else if (vr === 'UI' || (basic && basic.startsWith('U'))) disposition = 'hash';
  else if (basic && basic.includes('U*')) disposition = 'hash';
  else if (opts.retainPatientCharacteristics === 'K') disposition = 'keep';
  else if (opts.cleanDescriptors === 'C' || keyword === 'TextValue') disposition = 'clean';
  else if (basic === 'Z' || basic === 'Z/D') disposition = 'empty';
  else if (basic === 'D') disposition = 'replace';
  else disposition = 'remove';
  if ((vr === 'DA' || vr === 'DT') && !o) from = 'midi-b-dataset';
  if (vr === 'TM' && !o) from = 'midi-b-dataset';
  let p15;
  switch (disposition) {
    case 'clean':
    case 'review':
      p15 = 'TCIA-P15-DESC-C';
      break;
    case 'shift':
    case 'keep-time':
      p15 = 'TCIA-P15-MOD-C';
      break;
    case 'keep':
      p15 = 'TCIA-P15-PAT-K';
      break;
    case 'hash':
      p15 = null;
      break;
    default:
      p15 = basicCategory(basic);
  }
  let hipaa = o?.hipaa ?? hipaaExtra.get(keyword) ?? null;
  if (!hipaa && (vr === 'DA' || vr === 'DT')) hipaa = 'C';
  if (!hipaa && vr === 'UI' && disposition === 'hash') hipaa = 'R';
  return { disposition, p15, from, hipaa };
}

const out = {};
const ordered = [...entries.entries()].sort(([, a], [, b]) => (a.hex < b.hex ? -1 : a.hex > b.hex ? 1 : 0));
for (const [keyword, e] of ordered) {
  const d = derive(keyword, e);
  const g = e.hex.slice(0, 4);
  const el = e.hex.slice(4);
  out[keyword] = {
    tag: `(${g},${el})`,
    name: e.row[2],
    vr: e.row[0],
    ps315: e.ps315,
    tcia: { disposition: d.disposition, p15: d.p15, from: d.from },
    hipaa: d.hipaa,
  };
}

const doc = {
  description:
    'Per-attribute de-identification rules: PS3.15 Table E.1-1 action codes and options, the TCIA curation disposition (tcia.p15 category of shared/reference/midi-b-answer-key.md), and the HIPAA Safe Harbor kind of the attribute itself (hipaa.z). Generated by sources/build-attributes.mjs; see README.md.',
  dictionary: dictionary.source,
  count: Object.keys(out).length,
  attributes: out,
};
writeFileSync(join(here, '..', 'attributes.json'), JSON.stringify(doc, null, 2) + '\n');
if (missing.length) process.stderr.write(`not in the dictionary (skipped): ${missing.join(' ')}\n`);
process.stdout.write(`${Object.keys(out).length} attributes\n`);
