import type { ClassType } from 'type-graphql';
import type { ErrorCode, ErrorResult } from './errors';

/**
 * One registry per family of expected failures, keyed by error code: the members of the family's
 * GraphQL union, what is stored of a failure (an idempotency key's first answer) and how a stored
 * one is rebuilt all come from it, so a new failure is written in one place.
 */

/** The JSON kept of a failure: its code, its message and its fields of its own (NotEligibleError's reasons). */
export type StoredFailure<F extends ErrorResult = ErrorResult> = { errorCode: string; message: string } & Omit<
  { [K in keyof F]: F[K] },
  'errorCode' | 'message'
>;

/** An entry for a failure with fields of its own: its class, and how it is rebuilt from what was stored. */
export interface RebuiltFailure<F extends ErrorResult> {
  type: ClassType<F>;
  // A method, so an entry for a subclass (NotEligibleError) fits the entry its code expects.
  rebuild(stored: StoredFailure<F>): F;
}

/** The entry of a failure class whose fields the stored JSON must give back (its constructor's arguments). */
export function rebuiltBy<F extends ErrorResult>(type: ClassType<F>, rebuild: (stored: StoredFailure<F>) => F): RebuiltFailure<F> {
  return { type, rebuild };
}

/**
 * Each code's entry: a class built without arguments, or `rebuiltBy(...)` for one with fields. The
 * class must carry that very code (`extends ErrorResult<ErrorCode.SOLD_OUT>`): any other is a
 * compile error, as is a class needing arguments given bare.
 */
export type FailureEntries<E> = {
  [C in keyof E]: C extends ErrorCode ? (new () => ErrorResult<C>) | RebuiltFailure<ErrorResult<C>> : never;
};

/** The failure an entry stands for. */
export type FailureOf<T> = T extends new () => infer F ? F : T extends RebuiltFailure<infer F> ? F : never;

export class FailureRegistry<F extends ErrorResult> {
  /** The failures' GraphQL types, in the order given: a union lists them after its success type. */
  readonly types: ReadonlyArray<ClassType<F>>;
  private readonly rebuilders = new Map<string, (stored: StoredFailure) => F>();

  constructor(
    private readonly family: string,
    entries: Record<string, (new () => F) | RebuiltFailure<F>>,
  ) {
    const types: Array<ClassType<F>> = [];
    for (const [code, entry] of Object.entries(entries)) {
      if ('rebuild' in entry) {
        types.push(entry.type);
        this.rebuilders.set(code, (stored) => entry.rebuild(stored as StoredFailure<F>));
      } else {
        types.push(entry);
        this.rebuilders.set(code, () => new entry());
      }
    }
    this.types = types;
  }

  /** What is stored of a failure: its GraphQL fields as JSON (the code, the message and its own). */
  store(failure: F): StoredFailure<F> {
    return { ...failure } as StoredFailure<F>;
  }

  /**
   * The failure a stored answer was, with its stored message. A code outside the family is a
   * defect (a row another version wrote, a failure left out of the registry): it throws, and the
   * API logs it as an unexpected error; it never turns into some other answer.
   */
  rebuild(stored: unknown): F {
    const code = (stored as { errorCode?: unknown } | null)?.errorCode;
    const rebuild = typeof code === 'string' ? this.rebuilders.get(code) : undefined;
    if (!rebuild) throw new Error(`${this.family}: a stored answer with the error code ${String(code)}, which is none of this family's`);
    const failure = rebuild(stored as StoredFailure);
    failure.message = (stored as StoredFailure).message;
    return failure;
  }
}

/** The failures of a registry (ClaimFailure). */
export type FailureIn<R> = R extends FailureRegistry<infer F> ? F : never;

/** The registry of a family: `entries` maps each code to its failure class (see FailureEntries). */
export function failureRegistry<E extends FailureEntries<E>>(
  family: string,
  entries: E,
): FailureRegistry<Extract<FailureOf<E[keyof E]>, ErrorResult>> {
  type F = Extract<FailureOf<E[keyof E]>, ErrorResult>;
  // FailureEntries checked each entry against its code; the registry itself needs only the union.
  return new FailureRegistry<F>(family, entries as unknown as Record<string, (new () => F) | RebuiltFailure<F>>);
}
