/**
 * Free-text planning: fills a template with identity values and records, in the same step, the span of
 * every inserted PHI value, of the source's clean text and of every decoy (presidio-research style), so
 * the answer key never has to search the output for what was inserted.
 *
 * Template syntax: literal text with placeholders `{name}` or `{name:format}`. `{clean}` stands for the
 * source's own text of the element; `{decoy}` for a non-PHI word that looks like PHI; every other name is
 * resolved by the caller (an identity field in some rendering).
 */
import { ConfigError } from '../errors/index.js';
import type { HipaaKind } from '../phi/index.js';
import type { Rng } from '../rng/index.js';

/** What a placeholder resolves to: the text, and for PHI the identity field and HIPAA kind it comes from. */
export interface FilledValue {
  text: string;
  field: string;
  kind: HipaaKind;
}

/** One recorded span of a planned text value. */
export interface TextSpan {
  start: number;
  end: number;
  text: string;
  role: 'phi' | 'clean' | 'decoy';
  /** Identity field (PHI spans only). */
  field?: string;
  kind?: HipaaKind;
}

/** A planned free-text value with its spans in order. */
export interface FreeTextPlan {
  value: string;
  template: string;
  spans: TextSpan[];
}

/** A parsed template: literal and placeholder parts. */
type Part = { literal: string } | { name: string; format: string | undefined };

/** Parses `{name}` / `{name:format}` placeholders; `{{` and `}}` are literal braces. */
export function parseTemplate(template: string, source = 'template'): Part[] {
  const parts: Part[] = [];
  let literal = '';
  for (let i = 0; i < template.length; i++) {
    const ch = template[i]!;
    if ((ch === '{' || ch === '}') && template[i + 1] === ch) {
      literal += ch;
      i++;
    } else if (ch === '{') {
      const close = template.indexOf('}', i);
      if (close < 0) throw new ConfigError(`unclosed placeholder in ${JSON.stringify(template)}`, source);
      const [name, format] = template.slice(i + 1, close).split(':', 2) as [string, string | undefined];
      if (!/^[a-zA-Z][\w.]*$/.test(name))
        throw new ConfigError(`bad placeholder {${name}} in ${JSON.stringify(template)}`, source);
      if (literal) parts.push({ literal });
      literal = '';
      parts.push({ name, format });
      i = close;
    } else if (ch === '}') {
      throw new ConfigError(`unmatched } in ${JSON.stringify(template)}`, source);
    } else literal += ch;
  }
  if (literal) parts.push({ literal });
  return parts;
}

/** The names a template uses (to check templates against the fields an identity offers). */
export function placeholdersOf(template: string): string[] {
  return parseTemplate(template).flatMap((p) =>
    'name' in p ? [p.format ? `${p.name}:${p.format}` : p.name] : [],
  );
}

/** Inputs of one fill. */
export interface FillContext {
  /** The source's own text for `{clean}` (empty when the element was absent or empty). */
  clean: string;
  /** Resolves `name` (with optional format) to a PHI value, or undefined when the identity has no such field. */
  resolve(name: string, format: string | undefined): FilledValue | undefined;
  /** Picks a decoy word for `{decoy}`. */
  decoy(): string;
}

/**
 * Fills one template; returns undefined when a placeholder cannot be resolved (or `{clean}` is needed but
 * empty), so the caller tries another template.
 */
export function fillTemplate(template: string, ctx: FillContext): FreeTextPlan | undefined {
  let value = '';
  const spans: TextSpan[] = [];
  for (const part of parseTemplate(template)) {
    if ('literal' in part) {
      value += part.literal;
      continue;
    }
    const start = value.length;
    if (part.name === 'clean') {
      if (!ctx.clean) return undefined;
      value += ctx.clean;
      spans.push({ start, end: value.length, text: ctx.clean, role: 'clean' });
    } else if (part.name === 'decoy') {
      const word = ctx.decoy();
      value += word;
      spans.push({ start, end: value.length, text: word, role: 'decoy' });
    } else {
      const resolved = ctx.resolve(part.name, part.format);
      if (!resolved || !resolved.text) return undefined;
      value += resolved.text;
      spans.push({
        start,
        end: value.length,
        text: resolved.text,
        role: 'phi',
        field: resolved.field,
        kind: resolved.kind,
      });
    }
  }
  return { value, template, spans };
}

/**
 * Plans a value from candidate templates: tries them in a seeded order and keeps the first that resolves
 * and passes `accept` (VR length and repertoire, scorer token rules). Undefined when none does: the
 * element is then left as it was, never truncated.
 */
export function planFreeText(
  rng: Rng,
  templates: readonly string[],
  ctx: FillContext,
  accept: (plan: FreeTextPlan) => boolean,
): FreeTextPlan | undefined {
  const order = templates
    .map((t, i) => ({ t, key: rng.next(), i }))
    .sort((a, b) => a.key - b.key || a.i - b.i);
  for (const { t } of order) {
    const plan = fillTemplate(t, ctx);
    if (plan && accept(plan)) return plan;
  }
  return undefined;
}
