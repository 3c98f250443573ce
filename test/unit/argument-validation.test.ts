import 'reflect-metadata';
import { ArgumentValidationError } from 'type-graphql';
import { validateArguments } from '../../src/api/validation';
import { TargetingInput } from '../../src/modules/campaigns/campaigns.types';

const targeting = (fields: Partial<TargetingInput>) => Object.assign(new TargetingInput(), fields);
const check = async (value: unknown) => validateArguments(value, TargetingInput, {} as never);

describe('argument validation (class-validator, remembering valid inputs)', () => {
  it('rejects an invalid input every time with its messages, and accepts a valid one every time', async () => {
    for (let i = 0; i < 2; i++) {
      const error = await check(targeting({ minScore: 0 })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ArgumentValidationError);
      const [failure] = (error as ArgumentValidationError).extensions.validationErrors;
      expect(failure.property).toBe('minScore');
      expect(Object.values(failure.constraints ?? {}).join(' ')).toMatch(/minScore/);
      await expect(check(targeting({ minScore: 55, countries: ['FR'] }))).resolves.toBeUndefined();
    }
  });

  it('tells apart inputs that differ only in one nested value, and checks every item of a list', async () => {
    await expect(check(targeting({ countries: ['FR'] }))).resolves.toBeUndefined();
    await expect(check(targeting({ countries: [] }))).rejects.toBeInstanceOf(ArgumentValidationError);
    await expect(check([targeting({ minScore: 10 }), targeting({ minScore: 101 })])).rejects.toBeInstanceOf(ArgumentValidationError);
    await expect(check([targeting({ minScore: 10 }), 'x', null])).resolves.toBeUndefined();
  });

  it('leaves scalars and missing values alone', async () => {
    for (const value of [null, undefined, 3, 'text', true]) await expect(check(value)).resolves.toBeUndefined();
  });
});
