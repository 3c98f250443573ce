import { isEmail } from 'class-validator';
import { Extensions } from 'type-graphql';

/**
 * What a string of the API's input may hold. Every string argument and every string inside an
 * input object is one of these (api/input-boundary.ts checks them all before any resolver runs):
 *   line   the default: names, handles, ids, slugs, codes, dates. No control character at all.
 *   free   free text (descriptions, bios, passwords): newline (LF or CRLF) and tab allowed.
 *   email  an email address: checked in its normalised form (normalizeEmail), without invisible,
 *          bidirectional or zero-width characters.
 *   item   a field of one item of a batch (ingestActivity's posts, interactions, accounts): the
 *          boundary leaves it to the resolver, which checks it as a line (or free text) and
 *          rejects that item alone, so that one bad item does not cost the batch.
 * All of them must be well-formed Unicode: a lone surrogate cannot be stored by Postgres as it was
 * sent (it becomes U+FFFD), and makes validator.js's isEmail throw.
 */
export type InputTextKind = 'line' | 'free' | 'email' | 'item';

/** The key of a field's kind in its GraphQL extensions. */
export const INPUT_TEXT = 'inputText';

/** Email fields by the prototype of their input class. */
const emailFields = new WeakMap<object, string[]>();

/**
 * Declares a string field of an input type as free text or as an email (the default is a single
 * line). Seen by the input boundary through the GraphQL field's extensions, and by argument
 * validation (api/validation.ts), which normalises email fields before class-validator reads them.
 */
export function InputText(kind: Exclude<InputTextKind, 'line'>): PropertyDecorator {
  const extensions = Extensions({ [INPUT_TEXT]: kind });
  return (target, property) => {
    extensions(target, property);
    if (kind === 'email') emailFields.set(target, [...(emailFields.get(target) ?? []), String(property)]);
  };
}

/** The email fields an input object's class (or a class it extends) declares. */
export function declaredEmailFields(input: object): string[] {
  const fields: string[] = [];
  for (let proto = Object.getPrototypeOf(input); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    fields.push(...(emailFields.get(proto) ?? []));
  }
  return fields;
}

/** How accounts are keyed: surrounding whitespace dropped, all lower-case (the domain, and the local part by our choice). */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

// In unicode mode \p{Cs} matches only surrogates that are not half of a pair.
const LONE_SURROGATE = /\p{Cs}/u;
const CONTROL = /\p{Cc}/u;
// Free text: every control character but tab, line feed, and a carriage return that starts a CRLF.
const CONTROL_IN_FREE_TEXT = /[\0-\x08\x0B-\x0C\x0E-\x1F\x7F-\x9F]|\r(?!\n)/;
/**
 * Characters that do not show, or that reorder what is shown: format characters (zero-width
 * space and joiners, bidirectional marks, embeddings, overrides and isolates, BOM, soft hyphen, tags),
 * spaces and separators other than the ASCII space (no-break, en, em, ideographic ...), private-use
 * and unassigned code points, variation selectors, the combining grapheme joiner and the blank
 * letters (Hangul fillers, braille blank).
 */
const INVISIBLE =
  /[\p{Cf}\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\p{Co}\p{Cn}\u034F\u115F\u1160\u3164\uFFA0\u2800\uFE00-\uFE0F\u{E0100}-\u{E01EF}]/u;

/** Why a string cannot be taken as `kind`, as a sentence about `field`; null when it can. */
export function inputTextProblem(value: string, kind: InputTextKind, field: string): string | null {
  // An email is checked as it will be used: the whitespace around it is dropped, not refused.
  if (kind === 'item') return null; // checked item by item by its resolver
  const text = kind === 'email' ? normalizeEmail(value) : value;
  if (LONE_SURROGATE.test(text)) return `${field} must be well-formed Unicode text (it holds half of a surrogate pair)`;
  if (kind === 'free') {
    return CONTROL_IN_FREE_TEXT.test(text) ? `${field} must not contain control characters other than newline and tab` : null;
  }
  if (CONTROL.test(text)) return `${field} must not contain control characters`;
  if (kind === 'email') {
    if (INVISIBLE.test(text)) return `${field} must not contain invisible, bidirectional or zero-width characters`;
    try {
      // Whether it is an email is the input's own rule (logIn answers any string); only a throw is refused here.
      isEmail(text);
    } catch {
      return `${field} must be an email address, like name@example.com`;
    }
  }
  return null;
}
