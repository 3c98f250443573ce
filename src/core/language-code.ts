import { isISO6391, ValidateBy, type ValidationOptions } from 'class-validator';

/**
 * Languages are ISO 639-1 codes ("fr", "en"), stored and compared in lower case. Input may come in
 * any case ("FR" is taken as "fr"): the check is on the lower-cased code, and callers store
 * normalizeLanguage's answer. Shared by sign-up, profile updates and targeting.
 */
export function normalizeLanguage(code: string): string {
  return code.trim().toLowerCase();
}

export function isLanguageCode(value: unknown): boolean {
  return typeof value === 'string' && isISO6391(normalizeLanguage(value));
}

/** class-validator: an ISO 639-1 code, in any case (with `each: true`, every item of a list). */
export function IsLanguageCode(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy({ name: 'isLanguageCode', validator: { validate: (value) => isLanguageCode(value) } }, options);
}
