/**
 * The oracle's planner and applier on a data set built in memory, for the cases the fixture dataset does
 * not exercise: Type 1 PHI given a neutral value, multi-valued elements losing some values, legacy and DT
 * dates, a date inside another VR, a private UN element with free text, a nested UID reference.
 */
import { describe, expect, it } from 'vitest';
import type { Check } from '../../src/answerkey/index.js';
import { applyInstanceDeid, planInstanceDeid, type DeidMappings } from '../../src/deid/index.js';
import {
  createDicomFile,
  DicomDataset,
  parseDicom,
  requireTag,
  setBytes,
  setPrivate,
  setStrings,
  writeDicom,
  type DicomFile,
} from '../../src/dicom/index.js';
import { emptyCategories, type Action } from '../../src/phi/index.js';
import { evaluateCheck, toScoredFile } from '../../src/score/evaluate.js';

const t = requireTag;

function build(): DicomFile {
  const ds = new DicomDataset();
  setStrings(ds, t('SOPClassUID'), '1.2.840.10008.5.1.4.1.1.7');
  setStrings(ds, t('SOPInstanceUID'), '1.2.3.4.5');
  setStrings(ds, t('StudyDate'), '20130722');
  setBytes(ds, t('ContentDate'), Buffer.from('2013.07.22'), 'DA');
  setStrings(ds, t('AcquisitionDateTime'), '20130722101010.5');
  setStrings(ds, t('InstitutionName'), 'General Hospital');
  setStrings(ds, t('StudyDescription'), 'CT HEAD');
  const item = ds.addItem(t('ReferencedImageSequence'));
  setStrings(item, t('ReferencedSOPClassUID'), '1.2.840.10008.5.1.4.1.1.7');
  setStrings(item, t('ReferencedSOPInstanceUID'), '1.2.3.4.6');
  setPrivate(ds, 0x0009, 'ACME 1.0', 0x01, 'LO', 'scan of 20130722');
  setPrivate(ds, 0x0009, 'ACME 1.0', 0x02, 'UN', Buffer.from('Josh Donnelly scan'));
  setStrings(ds, t('PatientName'), 'DOE^JOHN');
  setStrings(ds, t('PatientID'), 'AB12');
  setStrings(ds, t('PatientBirthDate'), '19530919');
  setStrings(ds, t('OtherPatientIDs'), ['111-22-3333', 'KEEP1', 'MRN99']);
  setStrings(ds, t('ImageComments'), 'Reviewed by Dr. Beier on 22.07.2013 (Hodgkin)');
  // Read back from bytes, as the oracle meets files: every element carries its raw bytes.
  return parseDicom(writeDicom(createDicomFile(ds)), { path: 'sample.dcm' });
}

const check = (path: string, action: Action, value: string, actionText: string | null = null): Check => ({
  path,
  tag: '(0000,0000)',
  tagName: '',
  action,
  value,
  actionText,
  categories: emptyCategories(),
  identityField: null,
  phiKind: null,
  isDecoy: false,
  tokens: [],
});

const CHECKS: Check[] = [
  check('<(0008,0018)>', 'uid_changed', '1.2.3.4.5'),
  check('<(0008,0018)>', 'uid_consistent', '1.2.3.4.5'),
  check('<(0008,0018)>', 'text_notnull', '1.2.3.4.5'),
  check('<(0008,1140)>[<0000>]<(0008,1155)>', 'uid_changed', '1.2.3.4.6'),
  check('<(0008,1140)>[<0000>]<(0008,1155)>', 'uid_consistent', '1.2.3.4.6'),
  check(
    '<(0008,1140)>[<0000>]<(0008,1150)>',
    'text_retained',
    '1.2.840.10008.5.1.4.1.1.7',
    '1.2.840.10008.5.1.4.1.1.7',
  ),
  check('<(0008,0020)>', 'date_shifted', '20130722'),
  check('<(0008,0023)>', 'date_shifted', '2013.07.22'),
  check('<(0008,002a)>', 'date_shifted', '20130722101010.5'),
  check('<(0008,0080)>', 'text_removed', 'General Hospital', 'General Hospital'),
  check('<(0008,1030)>', 'text_retained', 'CT HEAD', 'CT HEAD'),
  check('<(0009,"ACME 1.0",01)>', 'date_shifted', '20130722'),
  check('<(0009,"ACME 1.0",01)>', 'text_retained', 'scan of 20130722', 'scan'),
  check('<(0009,"ACME 1.0",02)>', 'text_removed', "b'Josh Donnelly scan'", 'Josh Donnelly'),
  check('<(0010,0010)>', 'tag_retained', 'DOE^JOHN'),
  check('<(0010,0010)>', 'text_notnull', 'DOE^JOHN'),
  check('<(0010,0010)>', 'text_removed', 'DOE^JOHN', 'DOE^JOHN'),
  check('<(0010,0020)>', 'tag_retained', 'AB12'),
  check('<(0010,0020)>', 'text_removed', 'AB12', 'AB12'),
  check('<(0010,0020)>', 'patid_consistent', 'AB12'),
  check('<(0010,0030)>', 'tag_retained', '19530919'),
  check('<(0010,0030)>', 'text_removed', '19530919', '19530919'),
  check('<(0010,1000)>', 'text_removed', "['111-22-3333', 'KEEP1', 'MRN99']", '111-22-3333'),
  check('<(0010,1000)>', 'text_retained', "['111-22-3333', 'KEEP1', 'MRN99']", 'KEEP1'),
  check('<(0010,1000)>', 'text_removed', "['111-22-3333', 'KEEP1', 'MRN99']", 'MRN99'),
  check('<(0020,4000)>', 'text_removed', 'Reviewed by Dr. Beier on 22.07.2013 (Hodgkin)', 'Beier'),
  check('<(0020,4000)>', 'text_removed', 'Reviewed by Dr. Beier on 22.07.2013 (Hodgkin)', '22.07.2013'),
  check('<(0020,4000)>', 'text_retained', 'Reviewed by Dr. Beier on 22.07.2013 (Hodgkin)', 'Hodgkin'),
];

const mappings: DeidMappings = {
  uid: new Map([
    ['1.2.3.4.5', '2.25.5'],
    ['1.2.3.4.6', '2.25.6'],
  ]),
  patientId: new Map([['AB12', 'DEIDXYZ']]),
  dateOffsets: new Map([['AB12', -400]]),
};

describe('planInstanceDeid + applyInstanceDeid', () => {
  const source = build();
  const plan = planInstanceDeid(source.dataset, CHECKS, { mappings, dateOffsetDays: -400 });
  const file = build();
  applyInstanceDeid(file, plan, mappings);
  const output = parseDicom(writeDicom(file), { path: 'out.dcm' });
  const values = toScoredFile(output.dataset).values;

  it('plans one edit per changed path and no notes', () => {
    expect(plan.notes).toEqual([]);
    expect(plan.boxes).toEqual([]);
    expect(plan.edits.map((e) => `${e.op} ${e.path}`)).toEqual([
      'set <(0008,0018)>',
      'set <(0008,1140)>[<0000>]<(0008,1155)>',
      'set <(0008,0020)>',
      'set <(0008,0023)>',
      'set <(0008,002a)>',
      'delete <(0008,0080)>',
      'set <(0009,"ACME 1.0",01)>',
      'set <(0009,"ACME 1.0",02)>',
      'set <(0010,0010)>',
      'set <(0010,0020)>',
      'set <(0010,0030)>',
      'set <(0010,1000)>',
      'set <(0020,4000)>',
    ]);
  });

  it('writes the values the key asks for', () => {
    expect(Object.fromEntries(values)).toMatchObject({
      '<(0008,0018)>': '2.25.5',
      '<(0008,1140)>[<0000>]<(0008,1155)>': '2.25.6',
      '<(0008,0020)>': '20120617',
      '<(0008,0023)>': '2012.06.17',
      '<(0008,002a)>': '20120617101010.5',
      '<(0008,1030)>': 'CT HEAD',
      '<(0009,"ACME 1.0",01)>': 'scan of 20120617',
      '<(0009,"ACME 1.0",02)>': "b'scan'",
      '<(0010,0010)>': 'ANONYMOUS',
      '<(0010,0020)>': 'DEIDXYZ',
      '<(0010,0030)>': '',
      '<(0010,1000)>': 'KEEP1',
      '<(0020,4000)>': 'Reviewed by Dr. on (Hodgkin)',
    });
    expect(values.has('<(0008,0080)>')).toBe(false);
  });

  it('passes every check it was given', () => {
    const failed = CHECKS.filter(
      (c) => evaluateCheck(c, { values, pixelDataMd5: undefined }, mappings).passed !== true,
    );
    expect(failed).toEqual([]);
  });

  it('leaves the source data set untouched while planning', () => {
    expect(writeDicom(source)).toEqual(writeDicom(build()));
  });
});
