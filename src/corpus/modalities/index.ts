/** Dispatch from a series' modality to its builder. */
import type { ModalityKey } from '../profile.js';
import type { BuiltInstance, InstanceContext } from './context.js';
import { buildCt } from './ct.js';
import { buildMr } from './mr.js';
import { buildCr, buildDx, buildMg } from './projection.js';
import { buildPt } from './pt.js';
import { buildSc } from './sc.js';
import { buildSr } from './sr.js';
import { buildUs } from './us.js';

const BUILDERS: Record<ModalityKey, (ctx: InstanceContext) => BuiltInstance> = {
  CR: buildCr,
  CT: buildCt,
  MR: buildMr,
  PT: buildPt,
  DX: buildDx,
  MG: buildMg,
  US: buildUs,
  SR: buildSr,
  SC: buildSc,
};

/** Builds one instance's header and pixels. */
export function buildInstance(ctx: InstanceContext): BuiltInstance {
  return BUILDERS[ctx.series.modality](ctx);
}
