/**
 * Corpus profiles (templates/profiles/*.json): how many patients, which modalities with what weights, how
 * many series and instances, matrix sizes, transfer syntaxes. Loaded and validated here; every other
 * module sees only the typed, validated `CorpusProfile`.
 */
import { readFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../errors/index.js';
// locale.js alone: the identity index loads Faker, which corpus workers do not need.
import { IDENTITY_LOCALES, type IdentityLocale } from '../identity/locale.js';
import { ACTIONS, type Action } from '../phi/index.js';
import { templatesDir } from './templates.js';

/** The modalities the corpus writes; SC is secondary capture (Modality OT or the source modality). */
export const MODALITY_KEYS = ['CR', 'CT', 'MR', 'PT', 'DX', 'MG', 'US', 'SR', 'SC'] as const;
/** One corpus modality. */
export type ModalityKey = (typeof MODALITY_KEYS)[number];

/** Transfer syntaxes a corpus file can be stored in (all lossless, as a curated archive holds them). */
export const TRANSFER_SYNTAX_KEYS = [
  'explicit-le',
  'implicit-le',
  'jpeg-lossless',
  'jpeg-ls',
  'jpeg2000',
  'rle',
] as const;
/** One corpus transfer syntax, by short name. */
export type TransferSyntaxKey = (typeof TRANSFER_SYNTAX_KEYS)[number];

/** Ultrasound instance kinds: single frame or cine loop, grey or colour. */
export const US_VARIANTS = ['mono', 'rgb', 'mono-cine', 'rgb-cine'] as const;
/** One ultrasound instance kind. */
export type UsVariant = (typeof US_VARIANTS)[number];

/** An integer choice: a uniform range `[min, max]`, or weighted values `[[value, weight], ...]`. */
export type IntChoice = readonly [number, number] | ReadonlyArray<readonly [number, number]>;
/** Weighted choices among names. */
export type Weighted<T extends string> = ReadonlyArray<readonly [T, number]>;

/** What a profile says about one modality. */
export interface ModalityProfile {
  /** Relative share of studies of this modality. */
  readonly weight: number;
  readonly seriesPerStudy: IntChoice;
  readonly instancesPerSeries: IntChoice;
  /** Matrix sizes `[rows, columns]` to choose from (per series). */
  readonly matrices: ReadonlyArray<readonly [number, number]>;
  /** Overrides the profile-wide transfer syntax weights. */
  readonly transferSyntaxes?: Weighted<TransferSyntaxKey>;
  /** Ultrasound only: instance kinds. */
  readonly variants?: Weighted<UsVariant>;
  /** Ultrasound only: frames in a cine loop. */
  readonly cineFrames?: IntChoice;
}

/** A validated profile. */
export interface CorpusProfile {
  readonly name: string;
  readonly description: string;
  readonly patients: number;
  /** `weighted`: modalities and syntaxes drawn by weight; `cycle`: taken in turn (fixtures that must cover all). */
  readonly assignment: 'weighted' | 'cycle';
  readonly studiesPerPatient: IntChoice;
  /** Whether studies get the companion series their archetypes ask for (localizers, PET/CT's CT, dose screens). */
  readonly companions: boolean;
  readonly transferSyntaxes: Weighted<TransferSyntaxKey>;
  readonly modalities: Partial<Record<ModalityKey, ModalityProfile>>;
  /**
   * Shares of instances that `generate` burns text into, by Modality (`SC`: any Secondary Capture),
   * from 0 to 1; modalities not named keep generate's defaults.
   */
  readonly burn: Readonly<Record<string, number>>;
  /**
   * The identity locales and their shares (`[['en_US', 3], ['ja', 1]]`), passed to planIdentities as its
   * `locales` option; absent: every patient en_US.
   */
  readonly locales?: Weighted<IdentityLocale>;
  /**
   * Target shares of all checks per MIDI-B action (`{ "text_removed": 0.35 }`), each in (0, 1), summing
   * to at most 1; `generate` steers how much PHI it inserts toward them. Absent: no steering.
   */
  readonly checkShares?: CheckShares;
}

/** Target shares of all checks by action: some actions, each in (0, 1), summing to at most 1. */
export type CheckShares = Readonly<Partial<Record<Action, number>>>;

/** Largest patient count a profile or --patients may ask for (bounds a run's work). */
export const MAX_PATIENTS = 100_000;

/** The folder holding the built-in profiles. */
export function profilesDir(): string {
  return join(templatesDir(), '..', 'profiles');
}

/** Names of the built-in profiles, sorted. */
export function listProfiles(): string[] {
  return readdirSync(profilesDir())
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -5))
    .sort();
}

/**
 * Reads and validates a profile: a built-in one by name (`demo`), or a JSON file by path (anything that
 * ends in `.json` or contains a slash), so users can write their own.
 */
export function loadProfile(name: string): CorpusProfile {
  const isPath = name.endsWith('.json') || name.includes('/') || name.includes('\\');
  if (!isPath && !/^[a-z0-9-]+$/.test(name))
    throw new ConfigError(`invalid profile name ${JSON.stringify(name)}`);
  const file = isPath ? name : join(profilesDir(), `${name}.json`);
  if (!existsSync(file)) {
    throw new ConfigError(
      isPath
        ? `profile file ${file} does not exist`
        : `unknown profile ${JSON.stringify(name)}; built-in profiles: ${listProfiles().join(', ')}`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`not valid JSON: ${(error as Error).message}`, file);
  }
  return validateProfile(raw, file);
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function intChoice(v: unknown, what: string, file: string): IntChoice {
  const bad = (): never => {
    throw new ConfigError(
      `${what} must be [min, max] or [[value, weight], ...] of non-negative integers`,
      file,
    );
  };
  if (!Array.isArray(v) || v.length === 0) return bad();
  if (v.every((x) => typeof x === 'number')) {
    const [min, max] = v as number[];
    if (v.length !== 2 || !v.every((x) => Number.isInteger(x) && x >= 0) || min! > max!) bad();
    return [min!, max!];
  }
  const pairs = v.map((p) => {
    if (
      !Array.isArray(p) ||
      p.length !== 2 ||
      !Number.isInteger(p[0]) ||
      p[0] < 0 ||
      typeof p[1] !== 'number' ||
      p[1] < 0
    ) {
      bad();
    }
    return [p[0] as number, p[1] as number] as const;
  });
  if (!pairs.some((p) => p[1] > 0)) bad();
  return pairs;
}

function weighted<T extends string>(
  v: unknown,
  allowed: readonly T[],
  what: string,
  file: string,
): Weighted<T> {
  if (!Array.isArray(v) || v.length === 0)
    throw new ConfigError(`${what} must be a non-empty list of [name, weight]`, file);
  const out = v.map((p) => {
    if (
      !Array.isArray(p) ||
      p.length !== 2 ||
      !allowed.includes(p[0] as T) ||
      typeof p[1] !== 'number' ||
      p[1] < 0
    ) {
      throw new ConfigError(
        `${what}: each entry must be [name, weight] with name one of ${allowed.join(', ')}`,
        file,
      );
    }
    return [p[0] as T, p[1] as number] as const;
  });
  if (!out.some((p) => p[1] > 0))
    throw new ConfigError(`${what}: at least one weight must be positive`, file);
  return out;
}

/** Checks a parsed profile and returns it typed; `file` names it in errors. */
export function validateProfile(raw: unknown, file: string): CorpusProfile {
  if (!isObject(raw)) throw new ConfigError('a profile must be a JSON object', file);
  const {
    name,
    description,
    patients,
    assignment,
    studiesPerPatient,
    transferSyntaxes,
    modalities,
    companions,
    burn,
    locales,
    checkShares,
  } = raw;
  if (companions !== undefined && typeof companions !== 'boolean')
    throw new ConfigError('companions must be true or false', file);
  if (typeof name !== 'string' || name === '') throw new ConfigError('name must be a non-empty string', file);
  if (!Number.isInteger(patients) || (patients as number) < 1 || (patients as number) > MAX_PATIENTS) {
    throw new ConfigError(`patients must be an integer from 1 to ${MAX_PATIENTS}`, file);
  }
  if (assignment !== undefined && assignment !== 'weighted' && assignment !== 'cycle') {
    throw new ConfigError('assignment must be "weighted" or "cycle"', file);
  }
  if (!isObject(modalities)) throw new ConfigError('modalities must be an object keyed by modality', file);
  const parsed: Partial<Record<ModalityKey, ModalityProfile>> = {};
  for (const [key, spec] of Object.entries(modalities)) {
    if (!MODALITY_KEYS.includes(key as ModalityKey)) {
      throw new ConfigError(`unknown modality ${key}; expected one of ${MODALITY_KEYS.join(', ')}`, file);
    }
    if (!isObject(spec)) throw new ConfigError(`modalities.${key} must be an object`, file);
    const weight = spec.weight;
    if (typeof weight !== 'number' || weight < 0)
      throw new ConfigError(`modalities.${key}.weight must be a number >= 0`, file);
    const matrices = spec.matrices;
    if (
      !Array.isArray(matrices) ||
      matrices.length === 0 ||
      !matrices.every(
        (m) =>
          Array.isArray(m) && m.length === 2 && m.every((n) => Number.isInteger(n) && n >= 8 && n <= 8192),
      )
    ) {
      throw new ConfigError(
        `modalities.${key}.matrices must be a list of [rows, columns] from 8 to 8192`,
        file,
      );
    }
    parsed[key as ModalityKey] = {
      weight,
      seriesPerStudy: intChoice(spec.seriesPerStudy ?? [1, 1], `modalities.${key}.seriesPerStudy`, file),
      instancesPerSeries: intChoice(
        spec.instancesPerSeries ?? [1, 1],
        `modalities.${key}.instancesPerSeries`,
        file,
      ),
      matrices: matrices as Array<[number, number]>,
      ...(spec.transferSyntaxes !== undefined && {
        transferSyntaxes: weighted(
          spec.transferSyntaxes,
          TRANSFER_SYNTAX_KEYS,
          `modalities.${key}.transferSyntaxes`,
          file,
        ),
      }),
      ...(spec.variants !== undefined && {
        variants: weighted(spec.variants, US_VARIANTS, `modalities.${key}.variants`, file),
      }),
      ...(spec.cineFrames !== undefined && {
        cineFrames: intChoice(spec.cineFrames, `modalities.${key}.cineFrames`, file),
      }),
    };
  }
  if (!Object.values(parsed).some((m) => m.weight > 0))
    throw new ConfigError('at least one modality needs a positive weight', file);
  return {
    name,
    description: typeof description === 'string' ? description : '',
    patients: patients as number,
    assignment: (assignment as 'weighted' | 'cycle' | undefined) ?? 'weighted',
    studiesPerPatient: intChoice(studiesPerPatient ?? [1, 1], 'studiesPerPatient', file),
    companions: companions ?? true,
    transferSyntaxes: weighted(
      transferSyntaxes ?? [['explicit-le', 1]],
      TRANSFER_SYNTAX_KEYS,
      'transferSyntaxes',
      file,
    ),
    modalities: parsed,
    burn: burnShares(burn, file),
    ...(locales !== undefined && { locales: localeShares(locales, file) }),
    ...(checkShares !== undefined && { checkShares: checkShareTargets(checkShares, file) }),
  };
}

/** The profile's `checkShares` object: MIDI-B action to a target share in (0, 1), the shares summing to <= 1. */
export function checkShareTargets(v: unknown, file: string): CheckShares {
  if (!isObject(v) || Object.keys(v).length === 0)
    throw new ConfigError(
      'checkShares must be an object of MIDI-B action to target share, e.g. {"text_removed": 0.3}',
      file,
    );
  const targets: Partial<Record<Action, number>> = {};
  // In ACTIONS order, so that the targets print and record the same way whatever the file's key order.
  for (const key of Object.keys(v))
    if (!ACTIONS.includes(key as Action))
      throw new ConfigError(
        `checkShares: ${key} is not a MIDI-B action; expected one of ${ACTIONS.join(', ')}`,
        file,
      );
  for (const action of ACTIONS) {
    const share = v[action];
    if (share === undefined) continue;
    if (typeof share !== 'number' || !(share > 0 && share < 1))
      throw new ConfigError(`checkShares.${action} must be a number greater than 0 and less than 1`, file);
    targets[action] = share;
  }
  const sum = Object.values(targets).reduce((a, n) => a + n, 0);
  // A little slack for decimal shares that add up to 1 in print but not in binary (0.1 + 0.2 + 0.7).
  if (sum > 1 + 1e-9) throw new ConfigError(`checkShares: the shares sum to ${sum}, more than 1`, file);
  return targets;
}

/** The profile's `locales` list: `[[locale, share], ...]`, each locale once. */
function localeShares(v: unknown, file: string): Weighted<IdentityLocale> {
  const shares = weighted(v, IDENTITY_LOCALES, 'locales', file);
  const names = shares.map(([locale]) => locale);
  if (new Set(names).size !== names.length)
    throw new ConfigError('locales: each locale may be listed once', file);
  return shares;
}

/** The profile's `burn` object: Modality (or `SC`) to a share from 0 to 1. */
function burnShares(v: unknown, file: string): Record<string, number> {
  if (v === undefined) return {};
  if (!isObject(v)) throw new ConfigError('burn must be an object of Modality to share (0 to 1)', file);
  for (const [key, share] of Object.entries(v)) {
    if (!/^[A-Z]{2,3}$/.test(key)) throw new ConfigError(`burn: ${key} is not a Modality code`, file);
    if (typeof share !== 'number' || !(share >= 0 && share <= 1))
      throw new ConfigError(`burn.${key} must be a number from 0 to 1`, file);
  }
  return { ...(v as Record<string, number>) };
}
