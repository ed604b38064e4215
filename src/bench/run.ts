/**
 * `npm run bench`: throughput measured as ratios against baselines in the same run (never absolute
 * targets in unit tests). Issue 2's figure: read, change ten header elements and write a series of
 * 512x512 16-bit CT slices, against copying the same bytes (target: at most 3x the copy time). Plain dcmjs
 * read/write is run on the same files for comparison. Issue 4's figure (./burn.ts): burned-in text
 * throughput by pixel format, as a ratio to header-only parse + write of the same instances. Issue 5's
 * (./score.ts): scoring throughput in instances per second. Issue 6's (./scale.ts), run last: the clean
 * `midi-b-test` corpus (322 patients, several GB in a scratch folder) built once, then `pseudophi generate`
 * with the machine's cores and with 1 worker, the pydicom baseline and the floor (copy + MD5, Node, one
 * thread) on the same files; targets >= 3x pydicom, <= 2x the floor, < 1 GiB peak.
 *
 * Env knobs: BENCH_SLICES (CT slices, 200), BENCH_ROUNDS (rounds per figure, 5), BENCH_KEEP=1 (keep the
 * CT slices), BENCH_SCORE_* (./score.ts); BENCH_SCALE=0 skips the scale section, BENCH_SCALE_PATIENTS=N
 * builds N patients instead of the profile's 322 (e.g. 20 for a quick run), BENCH_SCALE_DIR sets the
 * scratch parent (default: the OS temp folder; fewer patients are run, with a message, when its free space
 * cannot hold the corpus and two outputs), BENCH_ONLY=scale runs only the scale section.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import {
  DicomDataset,
  DicomElement,
  type DicomFile,
  deriveUid,
  readDicomFile,
  requireTag,
  setNumbers,
  setStrings,
  Tags,
  writeDicom,
  writeFileAtomic,
  createDicomFile,
} from '../dicom/index.js';
import { rngFor } from '../rng/index.js';
import { benchBurn } from './burn.js';
import { benchScore } from './score.js';
import { benchScale } from './scale.js';

const SLICES = Number(process.env.BENCH_SLICES ?? 200);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

/** A CT slice with a realistic header (about 70 elements) and 512x512 16-bit pixels. */
function makeSlice(index: number): Uint8Array {
  const ds = new DicomDataset();
  const s = (keyword: string, value: string | string[]): void =>
    void setStrings(ds, requireTag(keyword), value);
  const n = (keyword: string, value: number): void => void setNumbers(ds, requireTag(keyword), value);
  s('SpecificCharacterSet', 'ISO_IR 100');
  s('ImageType', ['ORIGINAL', 'PRIMARY', 'AXIAL']);
  s('SOPClassUID', '1.2.840.10008.5.1.4.1.1.2');
  s('SOPInstanceUID', deriveUid('bench', 'sop', index));
  for (const k of ['StudyDate', 'SeriesDate', 'AcquisitionDate', 'ContentDate']) s(k, '20150312');
  for (const k of ['StudyTime', 'SeriesTime', 'AcquisitionTime', 'ContentTime']) s(k, '101500');
  s('AccessionNumber', '');
  s('Modality', 'CT');
  s('Manufacturer', 'GE MEDICAL SYSTEMS');
  s('ReferringPhysicianName', '');
  s('StudyDescription', 'CT CHEST W CONTRAST');
  s('SeriesDescription', 'AXIAL 2.5MM');
  s('ManufacturerModelName', 'LightSpeed VCT');
  s('PatientName', 'BENCH-001');
  s('PatientID', 'BENCH-001');
  s('PatientBirthDate', '');
  s('PatientSex', 'F');
  s('PatientAge', '063Y');
  s('BodyPartExamined', 'CHEST');
  s('SliceThickness', '2.5');
  s('KVP', '120');
  s('DataCollectionDiameter', '500');
  s('SoftwareVersions', '07MW18.4');
  s('ReconstructionDiameter', '360');
  s('GantryDetectorTilt', '0');
  s('TableHeight', '160');
  s('RotationDirection', 'CW');
  s('ExposureTime', '600');
  s('XRayTubeCurrent', '250');
  s('Exposure', '7');
  s('ConvolutionKernel', 'STANDARD');
  s('PatientPosition', 'FFS');
  s('StudyInstanceUID', deriveUid('bench', 'study'));
  s('SeriesInstanceUID', deriveUid('bench', 'series'));
  s('StudyID', '');
  s('SeriesNumber', '2');
  s('InstanceNumber', String(index + 1));
  s('ImagePositionPatient', ['-180', '-180', String(-index * 2.5)]);
  s('ImageOrientationPatient', ['1', '0', '0', '0', '1', '0']);
  s('FrameOfReferenceUID', deriveUid('bench', 'for'));
  s('PositionReferenceIndicator', '');
  s('SliceLocation', String(-index * 2.5));
  n('SamplesPerPixel', 1);
  s('PhotometricInterpretation', 'MONOCHROME2');
  n('Rows', 512);
  n('Columns', 512);
  s('PixelSpacing', ['0.703125', '0.703125']);
  n('BitsAllocated', 16);
  n('BitsStored', 16);
  n('HighBit', 15);
  n('PixelRepresentation', 1);
  s('WindowCenter', '40');
  s('WindowWidth', '400');
  s('RescaleIntercept', '-1024');
  s('RescaleSlope', '1');
  s('RescaleType', 'HU');
  const rng = rngFor('bench', 'pixels', index);
  const pixels = new Int16Array(512 * 512);
  for (let y = 0; y < 512; y++) {
    for (let x = 0; x < 512; x++) {
      const r = ((x - 256) / 200) ** 2 + ((y - 256) / 150) ** 2;
      pixels[y * 512 + x] = r < 1 ? 1024 + 40 + rng.int(-20, 20) : 0;
    }
  }
  ds.put(new DicomElement(Tags.PixelData, 'OW', new Uint8Array(pixels.buffer)));
  const file: DicomFile = createDicomFile(ds);
  return writeDicom(file);
}

/** The ten header edits of the benchmark: the kind a de-identification benchmark generator makes. */
function changeTenElements(file: DicomFile, index: number): void {
  const ds = file.dataset;
  const s = (keyword: string, value: string): void => void setStrings(ds, requireTag(keyword), value);
  s('PatientName', 'GAINES^STACY');
  s('PatientID', '6505936988');
  s('PatientBirthDate', '19520411');
  s('AccessionNumber', '20150312E673674');
  s('ReferringPhysicianName', 'HICKS^PAUL');
  s('InstitutionName', 'Scott Community Hospital');
  s('StationName', 'HOST-7006');
  s('StudyID', '528483');
  s('StudyDescription', 'CT CHEST W CONTRAST for Stacy Gaines');
  s('SOPInstanceUID', deriveUid('bench', 'new-sop', index));
}

type Runner = (files: readonly string[], outDir: string) => Promise<void>;

const copyBytes: Runner = async (files, outDir) => {
  for (const [i, f] of files.entries()) await writeFile(join(outDir, `${i}.dcm`), await readFile(f));
};

const pseudophiEdit: Runner = async (files, outDir) => {
  for (const [i, f] of files.entries()) {
    const file = await readDicomFile(f);
    changeTenElements(file, i);
    await writeFileAtomic(join(outDir, `${i}.dcm`), writeDicom(file));
  }
};

const require = createRequire(import.meta.url);
const dcmjsEdit: Runner = async (files, outDir) => {
  const dcmjs = require('dcmjs') as {
    data: {
      DicomMessage: {
        readFile(buffer: ArrayBuffer): {
          dict: Record<string, unknown>;
          meta: Record<string, unknown>;
          write(): ArrayBuffer;
        };
      };
      DicomMetaDictionary: {
        naturalizeDataset(d: unknown): Record<string, unknown>;
        denaturalizeDataset(d: unknown): Record<string, unknown>;
      };
    };
  };
  const { DicomMessage, DicomMetaDictionary } = dcmjs.data;
  for (const [i, f] of files.entries()) {
    const bytes = await readFile(f);
    const message = DicomMessage.readFile(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
    );
    const natural = DicomMetaDictionary.naturalizeDataset(message.dict);
    Object.assign(natural, {
      PatientName: 'GAINES^STACY',
      PatientID: '6505936988',
      PatientBirthDate: '19520411',
      AccessionNumber: '20150312E673674',
      ReferringPhysicianName: 'HICKS^PAUL',
      InstitutionName: 'Scott Community Hospital',
      StationName: 'HOST-7006',
      StudyID: '528483',
      StudyDescription: 'CT CHEST W CONTRAST for Stacy Gaines',
      SOPInstanceUID: deriveUid('bench', 'new-sop', i),
    });
    message.dict = DicomMetaDictionary.denaturalizeDataset(natural);
    await writeFile(join(outDir, `${i}.dcm`), Buffer.from(message.write()));
  }
};

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const run = promisify(execFile);
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PYTHON = '/usr/bin/python3';

/** Seconds of a command, wall clock, including its start-up. */
async function timeCommand(file: string, args: string[]): Promise<{ seconds: number; stdout: string }> {
  const start = process.hrtime.bigint();
  const { stdout } = await run(file, args, { maxBuffer: 1 << 26 });
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, stdout };
}

/**
 * Issue 3's figure: `pseudophi generate` (one process, one worker, answer key included, verify off) on a
 * folder of CT slices, against a pydicom script that reads, changes ten elements, hashes Pixel Data and
 * writes each file. Target: pseudophi at least as fast per instance.
 */
async function benchGenerate(work: string, inputDir: string, slices: number): Promise<string[]> {
  const lines = [
    '',
    `generate vs pydicom: ${slices} CT slices, median of ${ROUNDS} rounds (whole processes, start-up included)`,
  ];
  const havePydicom =
    existsSync(PYTHON) &&
    (await run(PYTHON, ['-c', 'import pydicom']).then(
      () => true,
      () => false,
    ));
  const cli = join(PACKAGE_ROOT, 'dist', 'cli', 'main.js');
  const script = join(PACKAGE_ROOT, 'src', 'bench', 'pydicom-baseline.py');
  const generateTimes: number[] = [];
  const pydicomTimes: number[] = [];
  const pydicomLoop: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const out = join(work, `gen-${round}`);
    generateTimes.push(
      (
        await timeCommand(process.execPath, [
          cli,
          'generate',
          '--input',
          inputDir,
          '--out',
          out,
          '--no-verify',
          '--quiet',
          '--workers',
          '1',
        ])
      ).seconds,
    );
    await rm(out, { recursive: true, force: true });
    if (havePydicom) {
      const pyOut = join(work, `py-${round}`);
      const r = await timeCommand(PYTHON, [script, inputDir, pyOut]);
      pydicomTimes.push(r.seconds);
      pydicomLoop.push((JSON.parse(r.stdout) as { seconds: number }).seconds);
      await rm(pyOut, { recursive: true, force: true });
    }
  }
  const g = median(generateTimes);
  lines.push(
    `${'pseudophi generate (1 worker)'.padEnd(34)}${(g * 1000).toFixed(0).padStart(10)} ms${(slices / g).toFixed(0).padStart(8)} inst/s`,
  );
  if (!havePydicom) {
    lines.push(
      'pydicom baseline skipped: /usr/bin/python3 with pydicom not found (apt-get install python3-pydicom)',
    );
    return lines;
  }
  const p = median(pydicomTimes);
  lines.push(
    `${'pydicom read/10 edits/MD5/write'.padEnd(34)}${(p * 1000).toFixed(0).padStart(10)} ms${(slices / p).toFixed(0).padStart(8)} inst/s  (loop alone ${(median(pydicomLoop) * 1000).toFixed(0)} ms)`,
  );
  lines.push(
    `target: pseudophi at least as fast per instance: ${(p / g).toFixed(2)}x pydicom ${g <= p ? 'MET' : 'NOT MET'}`,
  );
  return lines;
}

async function main(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'pseudophi-bench-'));
  try {
    const inputDir = join(work, 'in');
    await mkdir(inputDir);
    for (let i = 0; i < SLICES; i++)
      await writeFile(join(inputDir, `${String(i).padStart(5, '0')}.dcm`), makeSlice(i));
    const files = (await readdir(inputDir)).sort().map((f) => join(inputDir, f));
    const totalBytes = (await Promise.all(files.map(async (f) => (await readFile(f)).length))).reduce(
      (a, b) => a + b,
      0,
    );
    const runners: Array<[string, Runner]> = [
      ['copy bytes (read + write)', copyBytes],
      ['pseudophi read, 10 edits, write', pseudophiEdit],
      ['dcmjs read, 10 edits, write', dcmjsEdit],
    ];
    const times = new Map<string, number[]>(runners.map(([name]) => [name, []]));
    // Interleave the runners in every round so that cache and disk state affect each alike.
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, run] of runners) {
        const outDir = join(work, `out-${round}-${name.split(' ')[0]}`);
        await mkdir(outDir);
        const start = process.hrtime.bigint();
        await run(files, outDir);
        times.get(name)!.push(Number(process.hrtime.bigint() - start) / 1e6);
        await rm(outDir, { recursive: true });
      }
    }
    const base = median(times.get(runners[0]![0])!);
    const mb = totalBytes / 2 ** 20;
    const lines = [
      `pseudophi bench: ${SLICES} CT slices 512x512x16 bit (${mb.toFixed(1)} MiB), median of ${ROUNDS} rounds, node ${process.version}`,
      '',
      `${'task'.padEnd(34)}${'ms'.padStart(10)}${'files/s'.padStart(10)}${'MiB/s'.padStart(10)}${'x copy'.padStart(9)}`,
    ];
    const results: Record<string, { ms: number; ratioToCopy: number }> = {};
    for (const [name] of runners) {
      const ms = median(times.get(name)!);
      results[name] = { ms, ratioToCopy: ms / base };
      lines.push(
        `${name.padEnd(34)}${ms.toFixed(0).padStart(10)}${((SLICES / ms) * 1000).toFixed(0).padStart(10)}${((mb / ms) * 1000).toFixed(0).padStart(10)}${(ms / base).toFixed(2).padStart(9)}`,
      );
    }
    const ratio = results[runners[1]![0]]!.ratioToCopy;
    lines.push(
      '',
      `target: pseudophi at most 3x the copy time: ${ratio.toFixed(2)}x ${ratio <= 3 ? 'MET' : 'NOT MET'}`,
    );
    lines.push(...(await benchGenerate(work, inputDir, SLICES)));
    // Issue 4's figure: burned-in text by pixel format, against header-only parse + write of the same bytes.
    lines.push(...(await benchBurn(ROUNDS)));
    lines.push(...(await benchScore()));
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    // BENCH_KEEP=1 keeps the inputs for profiling.
    if (process.env.BENCH_KEEP) process.stdout.write(`inputs kept in ${join(work, 'in')}\n`);
    else await rm(work, { recursive: true, force: true });
  }
}

// BENCH_ONLY=scale runs the scale section alone (tens of minutes at full size).
if (process.env.BENCH_ONLY !== 'scale') await main();
process.stdout.write(`${(await benchScale()).join('\n')}\n`);
