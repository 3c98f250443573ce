import { createUnionType, ObjectType } from 'type-graphql';
import { ErrorCode, ErrorResult } from '../../core/errors';
import { Offer } from './offer.entity';

@ObjectType({ implements: ErrorResult })
export class OfferNotOpenError extends ErrorResult {
  constructor(status: string) {
    super(ErrorCode.OFFER_NOT_OPEN, `This offer is ${status.toLowerCase()}: only an open offer can be declined`);
  }
}

export const DeclineOfferResult = createUnionType({
  name: 'DeclineOfferResult',
  types: () => [Offer, OfferNotOpenError] as const,
});
