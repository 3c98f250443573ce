import { createUnionType, ObjectType } from 'type-graphql';
import { ErrorCode, ErrorResult } from '../../core/errors';
import { ErasureReceipt, OptOutReceipt } from './privacy.types';

@ObjectType({ implements: ErrorResult })
export class ErasureBusyError extends ErrorResult {
  constructor() {
    super(ErrorCode.ERASURE_BUSY, 'A score run or a match is using your data right now; nothing was erased. Try again in a minute');
  }
}

export const EraseMyDataResult = createUnionType({
  name: 'EraseMyDataResult',
  types: () => [ErasureReceipt, ErasureBusyError] as const,
});

@ObjectType({ implements: ErrorResult })
export class OptOutBusyError extends ErrorResult {
  constructor() {
    super(ErrorCode.OPT_OUT_BUSY, 'A match is using your data right now; you are still opted in. Try again in a minute');
  }
}

export const OptOutResult = createUnionType({
  name: 'OptOutResult',
  types: () => [OptOutReceipt, OptOutBusyError] as const,
});
