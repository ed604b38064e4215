/** A clean source instance for the insert tests, built in memory and read back from its bytes. */
import {
  createDicomFile,
  DicomDataset,
  parseDicom,
  requireTag,
  setStrings,
  writeDicom,
  type DicomFile,
} from '../../src/dicom/index.js';
import { planIdentities, type IdentityLocale, type IdentityPlan } from '../../src/identity/index.js';

const t = requireTag;

/** A clean CT instance as the built-in corpus writes it (Latin-1 declared, ASCII text). */
export function buildSource(
  uid: string,
  characterSet: string | null = 'ISO_IR 100',
  description = 'CT CHEST W CONTRAST',
): DicomFile {
  const ds = new DicomDataset();
  if (characterSet !== null) setStrings(ds, t('SpecificCharacterSet'), characterSet.split('\\'));
  setStrings(ds, t('SOPClassUID'), '1.2.840.10008.5.1.4.1.1.2');
  setStrings(ds, t('SOPInstanceUID'), uid);
  setStrings(ds, t('StudyDate'), '20190304');
  setStrings(ds, t('Modality'), 'CT');
  setStrings(ds, t('Manufacturer'), 'SIEMENS');
  setStrings(ds, t('StudyDescription'), description);
  setStrings(ds, t('SeriesDescription'), 'AX 5MM');
  setStrings(ds, t('ProtocolName'), 'CHEST ROUTINE');
  setStrings(ds, t('PatientName'), 'ANONYMOUS');
  setStrings(ds, t('PatientID'), 'SRC-1');
  setStrings(ds, t('PatientSex'), 'F');
  setStrings(ds, t('StudyInstanceUID'), '1.2.3');
  setStrings(ds, t('SeriesInstanceUID'), '1.2.3.4');
  return parseDicom(writeDicom(createDicomFile(ds)), { path: `${uid}.dcm` });
}

/** The identities of buildSource's one patient and study (a 2019 Siemens CT), all in `locale`. */
export function sourceIdentities(seed: number, locale: IdentityLocale, sex: 'F' | 'M' = 'F'): IdentityPlan {
  return planIdentities(
    seed,
    [{ key: 'SRC-1', sex, studyDates: ['20190304'] }],
    [
      {
        key: '1.2.3',
        patientKey: 'SRC-1',
        studyDate: '20190304',
        modalities: ['CT'],
        manufacturer: 'SIEMENS',
      },
    ],
    { locales: [[locale, 1]] },
  );
}
