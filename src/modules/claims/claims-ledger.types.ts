import { ArgsType, Field, ID, ObjectType } from 'type-graphql';
import { Connection, PageArgs } from '../../core/connection';
import { Network } from '../influencers/network';
import { Claim, ClaimStatus } from './claim.entity';

@ObjectType({ description: 'An account whose ownership the influencer proved', simpleResolvers: true })
export class VerifiedHandle {
  @Field(() => Network)
  network: Network;

  @Field(() => String, { description: 'Lower case, without "@"' })
  handle: string;
}

@ObjectType({ description: "Who holds a claim, as the campaign's managers see them: no contact details", simpleResolvers: true })
export class ClaimInfluencer {
  @Field(() => ID)
  id: string;

  @Field(() => String)
  displayName: string;

  @Field(() => [VerifiedHandle], { description: 'VERIFIED accounts only: a handle nobody proved is nobody’s' })
  handles: VerifiedHandle[];
}

@ObjectType()
export class ClaimConnection extends Connection(Claim) {}

@ArgsType()
export class ClaimsArgs extends PageArgs {
  @Field(() => ClaimStatus, { nullable: true, description: 'Only claims in this status' })
  status?: ClaimStatus;
}
