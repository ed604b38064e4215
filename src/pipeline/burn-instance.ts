/**
 * Burned-in text for one instance of a generate run: which instances get it (a seeded share per
 * modality), the values drawn (the same identity as the header, in its burned-in rendering), and the
 * decode -> plan -> render -> write-back step. The library is src/burn; this file only wires it in.
 */
import {
  BurnError,
  backdropTest,
  canvasMeasure,
  loadBurnLayouts,
  planBurn,
  readBurnDisplay,
  renderBurn,
  setBurnedInAnnotation,
  toBurnRows,
  toBurnedCapitals,
  toPixelsHiddenChecks,
  type BurnLineRow,
  type BurnValue,
  type PixelsHiddenCheck,
} from '../burn/index.js';
import {
  decodePixels,
  getString,
  lookupTransferSyntax,
  requireTag,
  setPixelFrames,
  TS,
  type DicomFile,
} from '../dicom/index.js';
import type { IdentityValues } from '../insert/index.js';
import { PixelDataError } from '../errors/index.js';
import { rngFor } from '../rng/index.js';

// Which instances get text is decided without the canvas library (burn-choice.ts); re-exported here.
export { chooseBurn, DEFAULT_BURN_SHARES } from './burn-choice.js';

const TIME = /^(\d{2})(\d{2})?(\d{2})?/;

/** The values layouts may draw (templates/burn/README.md), from the instance's identity and header. */
export function burnValues(identity: IdentityValues, file: DicomFile): BurnValue[] {
  const out: BurnValue[] = [];
  const phi = (key: string, name: string, format?: string): void => {
    const r = identity.resolve(name, format);
    if (r) out.push({ key, text: toBurnedCapitals(r.text), field: r.field, kind: r.kind, phi: true });
  };
  const kept = (key: string, text: string | undefined, field: string | null): void => {
    if (text) out.push({ key, text, field, kind: null, phi: false });
  };
  phi('patient.name.burned', 'patient.name', 'burnedIn');
  phi('patient.id', 'patient.id');
  phi('patient.birthDate.burned', 'patient.birthDate', 'MM.DD.YYYY');
  phi('study.date.burned', 'study.date', 'MM.DD.YYYY');
  phi('study.institution.burned', 'study.institution.name');
  phi('study.accessionNumber', 'study.accessionNumber');
  phi('study.operator.initials', 'study.operators.0.name', 'initials');
  phi('study.referringPhysician.burned', 'study.referringPhysician.name', 'burnedIn');
  const ds = file.dataset;
  const sex = getString(ds, requireTag('PatientSex'));
  kept('patient.sex', sex === 'M' || sex === 'F' ? sex : 'U', 'patient.sex');
  kept('patient.age', getString(ds, requireTag('PatientAge'))?.replace(/^0+(?=\d)/, ''), 'patient.age');
  const time = TIME.exec(getString(ds, requireTag('StudyTime')) ?? '');
  if (time) kept('study.time', [time[1], time[2] ?? '00', time[3] ?? '00'].join(':'), 'study.time');
  return out;
}

/** What burning changed in an instance, for the answer key. */
export interface BurnOutcome {
  checks: PixelsHiddenCheck[];
  rows: BurnLineRow[];
}

/**
 * The transfer syntax burned pixels are written in: the source's own if it is lossless and the codecs
 * can write it, else Explicit VR Little Endian (never a lossy re-encode).
 */
function outputSyntax(sourceUid: string): string {
  const ts = lookupTransferSyntax(sourceUid);
  if (!ts || !ts.encapsulated)
    return sourceUid === TS.ExplicitVRBigEndian ? TS.ExplicitVRLittleEndian : sourceUid;
  if (
    ts.lossless &&
    [TS.RLELossless, TS.JPEGLSLossless, TS.JPEG2000Lossless, TS.JPEGLosslessSV1].includes(ts.uid as never)
  ) {
    return ts.uid;
  }
  return TS.ExplicitVRLittleEndian;
}

/**
 * Draws the identity into the pixels of one instance (codecs must be initialised): decodes the frames,
 * plans the text for the decoded layout, renders it, writes the frames back losslessly and sets Burned
 * In Annotation. Undefined when the plan draws nothing with PHI. Throws BurnError/PixelDataError for
 * pixel formats it cannot draw on; the caller leaves such instances unburned.
 */
export function burnInstance(
  file: DicomFile,
  seed: string | number,
  sopInstanceUid: string,
  modality: string,
  values: readonly BurnValue[],
): BurnOutcome | undefined {
  const decoded = decodePixels(file);
  const plan = planBurn(
    {
      layouts: loadBurnLayouts(),
      modality,
      image: decoded.description,
      values,
      busyBackdrop: backdropTest(decoded.frames, decoded.description),
    },
    rngFor(seed, 'burn', sopInstanceUid),
    canvasMeasure,
  );
  const checks = toPixelsHiddenChecks(plan);
  if (checks.length === 0) return undefined;
  const rendered = renderBurn(decoded.frames, decoded.description, readBurnDisplay(file), plan);
  setPixelFrames(file, rendered.frames, decoded.description, outputSyntax(file.transferSyntaxUid));
  setBurnedInAnnotation(file);
  return { checks, rows: toBurnRows(plan) };
}

/** Whether burnInstance failed on a pixel format or plan it cannot draw (the instance is left as it was). */
export function isUnburnable(error: unknown): boolean {
  return error instanceof BurnError || error instanceof PixelDataError;
}
