import { validate, type ValidationError, type ValidatorOptions } from 'class-validator';
import { ArgumentValidationError, type ValidatorFn } from 'type-graphql';
import { declaredEmailFields, normalizeEmail } from '../core/input-text';
import { TtlCache } from '../core/ttl-cache';

/** type-graphql's defaults for class-validator, plus errors that carry neither the object nor the value. */
const OPTIONS: ValidatorOptions = {
  skipMissingProperties: true,
  forbidUnknownValues: false,
  validationError: { target: false, value: false },
};

/** Inputs found valid, by class and value: a search page repeats its targeting over and over. */
const valid = new TtlCache<string, true>(10 * 60_000, 2_000);

/**
 * Fields declared `@InputText('email')` are normalised in place, before class-validator reads them:
 * the resolver, the checks and the database all see one form (the input boundary checked that same
 * form before any resolver ran). Email fields sit on arguments' own input types, not deeper.
 */
function normalizeEmails(input: object): void {
  const record = input as Record<string, unknown>;
  for (const field of declaredEmailFields(input)) {
    const value = record[field];
    if (typeof value === 'string') record[field] = normalizeEmail(value);
  }
}

async function validateOne(value: object): Promise<void> {
  normalizeEmails(value);
  const key = `${value.constructor.name}:${JSON.stringify(value)}`;
  if (valid.get(key)) return;
  const errors: ValidationError[] = await validate(value, OPTIONS);
  if (errors.length) throw new ArgumentValidationError(errors);
  valid.set(key, true);
}

/**
 * Argument validation as type-graphql does it by default (class-validator on input objects, the
 * same options and the same ArgumentValidationError), with two savings on a hot path: class-validator
 * is imported once (type-graphql requires it again on every argument), and an input already found
 * valid is not validated again: validation is a pure function of the input's class and value.
 * Failures are never remembered, so every invalid input gets its messages.
 */
export const validateArguments: ValidatorFn = async (value) => {
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    await Promise.all(value.filter((item) => item !== null && typeof item === 'object').map(validateOne));
    return;
  }
  await validateOne(value);
};
