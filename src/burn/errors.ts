/** The error burned-in text raises: a layout, plan or pixel format it cannot honour. */
import { PseudophiError } from '../errors/index.js';

/** A burn layout, plan or pixel format that cannot be drawn, with what was being drawn. */
export class BurnError extends PseudophiError {
  constructor(
    readonly problem: string,
    context: Readonly<Record<string, string | number | undefined>> = {},
  ) {
    super(`burned-in text: ${problem}`, context);
  }
}
