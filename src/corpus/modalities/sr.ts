/**
 * Structured reports (PS3.3 A.35.1 Basic Text SR, A.35.3 Comprehensive SR): a Diagnostic Imaging Report
 * container with History, Findings and Impressions sections of clinical text, and no pixel data.
 */
import { rngFor } from '../../rng/index.js';
import { putAttributes, type AttributeSet } from '../attributes.js';
import { toDa, toTm } from '../dates.js';
import { buildCommon } from './common.js';
import { SopClass, type BuiltInstance, type InstanceContext } from './context.js';

/** Builds one SR document. */
export function buildSr(ctx: InstanceContext): BuiltInstance {
  const { study, instance } = ctx;
  const rng = rngFor(ctx.seed, 'sr', instance.sopInstanceUid);
  const sopClassUid = rng.chance(0.5) ? SopClass.BasicTextSR : SopClass.ComprehensiveSR;
  const ds = buildCommon(ctx, sopClassUid, 'SR');
  const sr = ctx.templates.sr;
  // Reports are signed off an hour or two after the exam, the same day.
  const seconds = Math.min(86399, study.studySeconds + rng.int(1800, 7200));
  const sections: AttributeSet[] = sr.sections.map((section) => {
    const count = section.concept.CodeValue === '121070' ? rng.int(1, 3) : 1;
    const texts = [...(section.texts[ctx.collection.reportTopic] ?? []), ...(section.texts.general ?? [])];
    const chosen: string[] = [];
    for (let i = 0; i < count && texts.length > 0; i++)
      chosen.push(texts.splice(rng.int(0, texts.length - 1), 1)[0]!);
    return {
      RelationshipType: 'CONTAINS',
      ValueType: 'CONTAINER',
      ConceptNameCodeSequence: [{ ...section.concept }],
      ContinuityOfContent: 'SEPARATE',
      ContentSequence: chosen.map((text) => ({
        RelationshipType: 'CONTAINS',
        ValueType: 'TEXT',
        ConceptNameCodeSequence: [{ ...section.textConcept }],
        TextValue: text,
      })),
    };
  });
  // A verified report names its verifier (C.17.2.1); TCIA replaces observer and organisation with dummies.
  const verified = rng.chance(0.5);
  if (verified) {
    putAttributes(ds, {
      VerifyingObserverSequence: [
        {
          VerifyingObserverName: 'ANONYMIZED^VERIFIER',
          VerifyingObserverIdentificationCodeSequence: [],
          VerifyingOrganization: 'ANONYMIZED',
          VerificationDateTime: `${toDa(study.studyDay)}${toTm(Math.min(86399, seconds + 600))}`,
        },
      ],
    });
  }
  putAttributes(ds, {
    // SR Document Series (C.17.1) and SR Document General (C.17.2).
    ReferencedPerformedProcedureStepSequence: [],
    InstanceNumber: instance.instanceNumber,
    CompletionFlag: 'COMPLETE',
    VerificationFlag: verified ? 'VERIFIED' : 'UNVERIFIED',
    ContentDate: toDa(study.studyDay),
    ContentTime: toTm(seconds),
    PerformedProcedureCodeSequence: [],
    // SR Document Content (C.17.3): the root container.
    ValueType: 'CONTAINER',
    ConceptNameCodeSequence: [{ ...sr.documentTitle }],
    ContinuityOfContent: 'SEPARATE',
    ContentSequence: sections,
  });
  return { sopClassUid, dataset: ds };
}
