/**
 * Image planes aligned with the patient axes (axial, sagittal, coronal; PS3.3 C.7.6.2.1.1) and the tissue
 * along each image row, so MR can be acquired in any of the three orientations of a clinical protocol.
 */
import { crossSection, rasterColumn, rasterRow, type Ellipse, type PhantomOptions } from './phantom.js';

/** A patient-axis-aligned image plane. */
export interface PlaneGeometry {
  readonly rows: number;
  readonly columns: number;
  /** mm between pixel centres (square pixels). */
  readonly spacing: number;
  /** Patient position of the first pixel's centre (Image Position (Patient)). */
  readonly origin: readonly [number, number, number];
  /** Unit direction along a row, then down a column (Image Orientation (Patient)). */
  readonly rowDir: readonly [number, number, number];
  readonly colDir: readonly [number, number, number];
}

/** The three plane orientations by name: row and column directions for a head-first supine patient. */
export const ORIENTATIONS: Record<
  'axial' | 'sagittal' | 'coronal',
  { row: [number, number, number]; col: [number, number, number] }
> = {
  axial: { row: [1, 0, 0], col: [0, 1, 0] },
  sagittal: { row: [0, 1, 0], col: [0, 0, -1] },
  coronal: { row: [1, 0, 0], col: [0, 0, -1] },
};

/** The plane's normal (row x column), along which slices are stacked and Slice Location is measured. */
export function planeNormal(g: Pick<PlaneGeometry, 'rowDir' | 'colDir'>): [number, number, number] {
  const [a1, a2, a3] = g.rowDir;
  const [b1, b2, b3] = g.colDir;
  return [a2 * b3 - a3 * b2, a3 * b1 - a1 * b3, a1 * b2 - a2 * b1];
}

/**
 * Calls `visit(r, tissues)` for each image row with the tissue of every pixel of that row. Rows of an axial
 * plane share one cross-section; sagittal and coronal rows each lie at their own z.
 */
export function forEachTissueRow(
  g: PlaneGeometry,
  phantom: PhantomOptions,
  visit: (r: number, tissues: Uint8Array) => void,
): void {
  const tissues = new Uint8Array(g.columns);
  let cachedZ = Number.NaN;
  let section: Ellipse[] = [];
  for (let r = 0; r < g.rows; r++) {
    const x = g.origin[0] + g.colDir[0] * r * g.spacing;
    const y = g.origin[1] + g.colDir[1] * r * g.spacing;
    const z = g.origin[2] + g.colDir[2] * r * g.spacing;
    if (z !== cachedZ) {
      section = crossSection(z, phantom);
      cachedZ = z;
    }
    if (g.rowDir[0] !== 0) rasterRow(section, y, x, g.rowDir[0] * g.spacing, tissues);
    else rasterColumn(section, x, y, g.rowDir[1] * g.spacing, tissues);
    visit(r, tissues);
  }
}
