/**
 * Which instances of a run get burned-in text: a seeded share per modality. Kept apart from
 * burn-instance.ts so that choosing loads no canvas library; generate loads the burner at the first
 * instance chosen.
 */
import { rngFor } from '../rng/index.js';

/**
 * Default share of instances that get burned text, by modality (issue 4: all ultrasound and secondary
 * capture; a share of radiographs and mammograms; a few cross-sectional slices). `SC` means any Secondary
 * Capture SOP class, whatever its Modality.
 */
export const DEFAULT_BURN_SHARES: Readonly<Record<string, number>> = {
  US: 1,
  SC: 1,
  CR: 0.5,
  DX: 0.5,
  MG: 0.5,
  CT: 0.02,
  MR: 0.02,
  PT: 0.02,
};

const SECONDARY_CAPTURE = '1.2.840.10008.5.1.4.1.1.7';

/** Whether an instance gets burned text: a seeded draw per SOP Instance UID against its modality's share. */
export function chooseBurn(
  seed: string | number,
  shares: Readonly<Record<string, number>>,
  instance: { sopInstanceUid: string; sopClassUid: string; modality: string },
): boolean {
  const key = instance.sopClassUid.startsWith(SECONDARY_CAPTURE) ? 'SC' : instance.modality;
  const share = shares[key] ?? 0;
  return share > 0 && rngFor(seed, 'burn-choice', instance.sopInstanceUid).chance(share);
}
