/** Sample checks for the answer-key tests: one of each kind pseudophi plans. */
import { emptyCategories, type CheckCategories } from '../../src/phi/index.js';
import type { Check } from '../../src/answerkey/check.js';
import { tokensForCheck } from '../../src/answerkey/check.js';
import type { BurnedTextRow } from '../../src/answerkey/sqlite.js';

const cats = (edit: (c: CheckCategories) => void): CheckCategories => {
  const c = emptyCategories();
  edit(c);
  return c;
};

/** A check with defaults filled in and tokens computed from its action text. */
export function makeCheck(
  partial: Partial<Check> & Pick<Check, 'path' | 'tag' | 'tagName' | 'action' | 'value'>,
): Check {
  const actionText = partial.actionText ?? null;
  return {
    actionText,
    categories: emptyCategories(),
    identityField: null,
    phiKind: null,
    isDecoy: false,
    tokens: tokensForCheck(partial.action, actionText),
    ...partial,
  };
}

/** Checks of one CT instance, in plan order. */
export const SAMPLE_CHECKS: Check[] = [
  makeCheck({
    path: '<(0010,0010)>',
    tag: '(0010,0010)',
    tagName: "Patient's Name",
    action: 'text_removed',
    value: 'GAINES^STACY',
    actionText: 'GAINES^STACY',
    categories: cats((c) => {
      c.hipaa.z = 'HIPAA-A';
      c.hipaa.m = 'HIPAA-A';
      c.dicom.p15 = 'Z';
      c.tcia.p15 = 'TCIA-P15-BASIC-Z';
    }),
    identityField: 'patient.name',
    phiKind: 'A',
  }),
  makeCheck({
    path: '<(0010,0010)>',
    tag: '(0010,0010)',
    tagName: "Patient's Name",
    action: 'tag_retained',
    value: 'GAINES^STACY',
    categories: cats((c) => {
      c.dicom.iod = 'DICOM-IOD-2';
    }),
  }),
  makeCheck({
    path: '<(0008,1030)>',
    tag: '(0008,1030)',
    tagName: 'Study Description',
    action: 'text_retained',
    value: 'MR Breast Bilateral w? for Stacy Gaines',
    actionText: 'MR Breast Bilateral w?',
    categories: cats((c) => {
      c.dicom.p15 = 'X';
      c.tcia.p15 = 'TCIA-P15-DESC-C';
    }),
  }),
  makeCheck({
    path: '<(0008,1030)>',
    tag: '(0008,1030)',
    tagName: 'Study Description',
    action: 'text_removed',
    value: 'MR Breast Bilateral w? for Stacy Gaines',
    actionText: 'for Stacy Gaines',
    categories: cats((c) => {
      c.hipaa.m = 'HIPAA-A';
      c.dicom.p15 = 'X';
      c.tcia.p15 = 'TCIA-P15-DESC-C';
    }),
    identityField: 'patient.name',
    phiKind: 'A',
  }),
  makeCheck({
    path: '<(0008,0020)>',
    tag: '(0008,0020)',
    tagName: 'Study Date',
    action: 'date_shifted',
    value: '20190619',
    categories: cats((c) => {
      c.hipaa.z = 'HIPAA-C';
      c.dicom.p15 = 'Z';
      c.tcia.p15 = 'TCIA-P15-MOD-C';
    }),
    identityField: 'study.date',
  }),
  makeCheck({
    path: '<(0008,1140)>[<0000>]<(0008,1155)>',
    tag: '(0008,1155)',
    tagName: 'Referenced SOP Instance UID',
    action: 'uid_consistent',
    value: '1.2.3.4.5',
  }),
  makeCheck({
    path: '<(0009,"GEMS_IDEN_01",04)>',
    tag: '(0009,1004)',
    tagName: '[Suite id]',
    action: 'text_removed',
    value: 'TKC',
    actionText: 'TKC',
    categories: cats((c) => {
      c.tcia.ptkb = 'TCIA-PTKB-X';
    }),
  }),
  makeCheck({
    path: '<(7fe0,0010)>',
    tag: '(7FE0,0010)',
    tagName: 'Pixel Data',
    action: 'pixels_retained',
    value: 'REMOVED',
    actionText: '0123456789abcdef0123456789abcdef',
  }),
  makeCheck({
    path: '<(0008,0060)>',
    tag: '(0008,0060)',
    tagName: 'Modality',
    action: 'text_notnull',
    value: 'CT',
    categories: cats((c) => {
      c.dicom.iod = 'DICOM-IOD-1';
    }),
  }),
  makeCheck({
    path: '<(7fe0,0010)>',
    tag: '(7FE0,0010)',
    tagName: 'Pixel Data',
    action: 'pixels_hidden',
    value: 'REMOVED',
    actionText: JSON.stringify({
      text: 'GAINES STACY F\n06.19.2019',
      top_left: [10, 12],
      bottom_right: [220, 60],
      font: 'DejaVuSans',
    }),
  }),
];

/** Burned-in lines of one instance: a PHI line on two frames and a decoy, as generate records them. */
export const SAMPLE_BURNED_TEXT: BurnedTextRow[] = [0, 1].flatMap((frame) => [
  {
    block: 0,
    blockId: 'patient',
    line: 0,
    frame,
    left: 10,
    top: 12,
    width: 160,
    height: 20,
    text: 'GAINES STACY F',
    font: 'DejaVu Sans 16px',
    kind: 'A',
    field: 'patient.name',
    key: 'patient.name.burned',
    phi: true,
  },
  {
    block: 1,
    blockId: 'markers',
    line: 0,
    frame,
    left: 200,
    top: 12,
    width: 30,
    height: 20,
    text: 'L',
    font: 'overlay 5x9 x2',
    kind: null,
    field: null,
    key: null,
    phi: false,
  },
]);
