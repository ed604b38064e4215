/**
 * Unit-test setup (vitest.config.ts): every identity locale's Faker loaded before the tests run, as a
 * generate run loads the ones it asks for before planning identities.
 */
import { loadLocaleFakers } from '../../src/identity/index.js';

await loadLocaleFakers();
