import { createUnionType, ObjectType } from 'type-graphql';
import { ErrorCode, ErrorResult } from '../../core/errors';
import { ErasureReceipt } from './privacy.types';

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
