import { describe, expect, it } from 'vitest';
import { lookupTag, requireTag, formatTag } from '../../src/dicom/index.js';
import {
  attributeRule,
  iodCategory,
  iodTypesFor,
  loadAttributeRules,
  loadIods,
} from '../../src/answerkey/rules.js';

const CT = '1.2.840.10008.5.1.4.1.1.2';

describe('attributes.json', () => {
  const rules = loadAttributeRules();

  it('is well-formed and agrees with the dictionary', () => {
    expect(rules.size).toBeGreaterThanOrEqual(450);
    for (const rule of rules.values()) {
      if (rule.tag.includes('x')) continue;
      const tag = requireTag(rule.keyword);
      expect(formatTag(tag)).toBe(rule.tag);
      expect(lookupTag(tag)?.name).toBe(rule.name);
    }
  });

  it('holds the key PS3.15 Table E.1-1 facts', () => {
    const basic = (k: string): string | undefined => attributeRule(k)?.ps315?.basic;
    expect(basic('PatientName')).toBe('Z');
    expect(basic('PatientID')).toBe('Z');
    expect(basic('PatientBirthDate')).toBe('Z');
    expect(basic('AccessionNumber')).toBe('Z');
    expect(basic('InstitutionName')).toBe('X/Z/D');
    expect(basic('StudyInstanceUID')).toBe('U');
    expect(basic('SOPInstanceUID')).toBe('U');
    expect(basic('OtherPatientIDs')).toBe('X');
    expect(basic('StudyDescription')).toBe('X');
    expect(basic('ProtocolName')).toBe('X/D');
    expect(basic('ContentDate')).toBe('Z/D');
    expect(basic('ReferencedImageSequence')).toBe('X/Z/U*');
    expect(basic('Modality')).toBeUndefined();
    expect(attributeRule('StudyDescription')?.ps315?.options['cleanDescriptors']).toBe('C');
    expect(attributeRule('PatientAge')?.ps315?.options['retainPatientCharacteristics']).toBe('K');
  });

  it('maps the TCIA curation of midi-b-dataset.md to tcia.p15 categories', () => {
    const tcia = (k: string): [string, string | null] | undefined => {
      const r = attributeRule(k);
      return r ? [r.tcia.disposition, r.tcia.p15] : undefined;
    };
    expect(tcia('InstitutionName')).toEqual(['remove', 'TCIA-P15-BASIC-X/Z/D']);
    expect(tcia('StudyDescription')).toEqual(['clean', 'TCIA-P15-DESC-C']);
    expect(tcia('Occupation')).toEqual(['review', 'TCIA-P15-DESC-C']);
    expect(tcia('StudyDate')).toEqual(['shift', 'TCIA-P15-MOD-C']);
    expect(tcia('StudyTime')).toEqual(['keep-time', 'TCIA-P15-MOD-C']);
    expect(tcia('AccessionNumber')).toEqual(['empty', 'TCIA-P15-BASIC-Z']);
    expect(tcia('ClinicalTrialSubjectID')).toEqual(['replace', 'TCIA-P15-BASIC-D']);
    expect(tcia('PatientSex')).toEqual(['keep', 'TCIA-P15-PAT-K']);
    expect(tcia('SeriesInstanceUID')).toEqual(['hash', null]);
    expect(tcia('RetrieveAETitle')).toEqual(['remove', 'TCIA-P15-BASIC-X']);
  });

  it('gives the HIPAA kind of the attribute itself', () => {
    expect(attributeRule('PatientName')?.hipaa).toBe('A');
    expect(attributeRule('PatientAddress')?.hipaa).toBe('B');
    expect(attributeRule('AcquisitionDateTime')?.hipaa).toBe('C');
    expect(attributeRule('PatientTelephoneNumbers')?.hipaa).toBe('D');
    expect(attributeRule('DeviceSerialNumber')?.hipaa).toBe('M');
    expect(attributeRule('AccessionNumber')?.hipaa).toBe('R');
    expect(attributeRule('StudyDescription')?.hipaa).toBeNull();
    expect(attributeRule('PatientAge')?.hipaa).toBeNull();
  });

  it('covers every attribute midi-b-dataset.md names', () => {
    for (const k of [
      'PatientName', 'PatientID', 'PatientBirthDate', 'OtherPatientIDs', 'PatientAddress', 'PatientTelephoneNumbers',
      'Occupation', 'AccessionNumber', 'StudyID', 'ReferringPhysicianName', 'PerformingPhysicianName',
      'PhysiciansOfRecord', 'OperatorsName', 'ReferringPhysicianAddress', 'ReferringPhysicianTelephoneNumbers',
      'InstitutionName', 'InstitutionAddress', 'InstitutionalDepartmentName', 'StationName', 'RetrieveAETitle',
      'DeviceSerialNumber', 'PlateID', 'DetectorID', 'GantryID', 'ClinicalTrialSubjectID', 'ClinicalTrialProtocolID',
      'ClinicalTrialProtocolName', 'ClinicalTrialSiteID', 'ClinicalTrialSiteName', 'ClinicalTrialTimePointID',
      'StudyDescription', 'SeriesDescription', 'ProtocolName', 'RequestedProcedureComments', 'MedicalAlerts',
      'AdditionalPatientHistory', 'PatientComments', 'ImageComments', 'AcquisitionComments',
      'RequestedProcedureDescription', 'PerformedProcedureStepDescription', 'ScheduledProcedureStepDescription',
      'ReasonForStudy', 'ReasonForTheImagingServiceRequest', 'AdmittingDiagnosesDescription', 'DerivationDescription',
      'ContrastBolusAgent', 'StudyComments', 'CommentsOnRadiationDose', 'VerifyingOrganization', 'TextValue',
      'VerifyingObserverName', 'PatientAge', 'PatientSex', 'PatientSize', 'PatientWeight', 'EthnicGroup',
      'SmokingStatus', 'PregnancyStatus', 'ClinicalTrialSponsorName', 'ClinicalTrialTimePointDescription',
    ]) // prettier-ignore
      expect(rules.has(k), k).toBe(true);
  });
});

describe('IOD tables', () => {
  it('defines the 14 SOP classes of the corpus, each module known', () => {
    const iods = loadIods();
    expect([...iods.keys()].sort()).toEqual(
      [
        '1.2.840.10008.5.1.4.1.1.1',
        '1.2.840.10008.5.1.4.1.1.1.1',
        '1.2.840.10008.5.1.4.1.1.1.2',
        '1.2.840.10008.5.1.4.1.1.128',
        '1.2.840.10008.5.1.4.1.1.2',
        '1.2.840.10008.5.1.4.1.1.3.1',
        '1.2.840.10008.5.1.4.1.1.4',
        '1.2.840.10008.5.1.4.1.1.6.1',
        '1.2.840.10008.5.1.4.1.1.7',
        '1.2.840.10008.5.1.4.1.1.7.3',
        '1.2.840.10008.5.1.4.1.1.7.4',
        '1.2.840.10008.5.1.4.1.1.88.11',
        '1.2.840.10008.5.1.4.1.1.88.22',
        '1.2.840.10008.5.1.4.1.1.88.33',
      ].sort(),
    );
    for (const iod of iods.values())
      for (const m of iod.modules)
        for (const a of m.attributes)
          expect(formatTag(requireTag(a.keyword)), `${m.name} ${a.keyword}`).toBe(a.tag);
  });

  it('holds the key PS3.3 facts', () => {
    const ct = iodTypesFor(CT)!;
    expect(ct.get('PatientName')).toMatchObject({ type: '2', module: 'Patient' });
    expect(ct.get('Modality')).toMatchObject({ type: '1', module: 'General Series' });
    expect(ct.get('SOPInstanceUID')).toMatchObject({ type: '1', module: 'SOP Common' });
    expect(ct.get('StudyInstanceUID')?.type).toBe('1');
    expect(ct.get('AccessionNumber')?.type).toBe('2');
    expect(ct.get('KVP')?.type).toBe('2');
    expect(ct.get('FrameOfReferenceUID')?.type).toBe('1');
    expect(ct.get('PatientPosition')).toMatchObject({ type: '2C' });
    expect(ct.get('PatientPosition')?.condition).toMatch(/CT/);
    expect(ct.has('ContrastBolusAgent')).toBe(false); // C module, not mandatory
    expect(ct.has('StudyDescription')).toBe(false); // Type 3
    // A modality module specializes a general one: Image Type is Type 1 in the CT Image module.
    expect(ct.get('ImageType')).toMatchObject({ type: '1', module: 'CT Image' });
    expect(iodTypesFor('1.2.840.10008.5.1.4.1.1.4')!.get('ScanningSequence')?.type).toBe('1');
    expect(iodTypesFor('1.2.840.10008.5.1.4.1.1.88.11')!.get('SeriesNumber')?.type).toBe('1');
    expect(iodTypesFor('1.2.840.10008.5.1.4.1.1.88.11')!.get('ContentDate')?.type).toBe('1');
    expect(iodTypesFor('1.2.840.10008.5.1.4.1.1.7')!.get('ConversionType')?.type).toBe('1');
    expect(iodTypesFor('1.2.840.10008.5.1.4.1.1.128')!.get('SeriesDate')?.type).toBe('1');
    expect(iodTypesFor('1.2.3')).toBeUndefined();
  });

  it('maps types to dicom.iod categories', () => {
    expect(iodCategory('1')).toBe('DICOM-IOD-1');
    expect(iodCategory('1C')).toBe('DICOM-IOD-1');
    expect(iodCategory('2')).toBe('DICOM-IOD-2');
    expect(iodCategory('2C')).toBe('DICOM-IOD-2');
  });
});

describe('IOD conditions', () => {
  it('keeps the 1C/2C condition notes of PS3.3', () => {
    const mr = iodTypesFor('1.2.840.10008.5.1.4.1.1.4')!;
    expect(mr.get('InversionTime')).toMatchObject({ type: '2C', condition: 'Scanning Sequence is IR' });
    expect(mr.get('HighBit')?.type).toBe('1');
    const sr = iodTypesFor('1.2.840.10008.5.1.4.1.1.88.33')!;
    expect(sr.get('VerifyingObserverSequence')).toMatchObject({
      type: '1C',
      condition: 'Verification Flag is VERIFIED',
    });
    expect(sr.get('PerformedProcedureCodeSequence')?.type).toBe('2');
  });
});
