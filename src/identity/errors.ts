/** The error the identity planners throw (src/errors has another owner; this may move there). */
import { PseudophiError } from '../errors/index.js';

/** An identity that cannot be planned: a malformed source fact, or values that cannot be made distinct. */
export class IdentityPlanError extends PseudophiError {}
