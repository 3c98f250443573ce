import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Role, requirePrincipal, requireUser, userIdOf, type RequestContext } from '../../core/context';
import { RateLimited, RateLimitPolicy } from '../../core/rate-limited';
import { AccountsService } from './accounts.service';
import { AddAgencyClientResult, LogInResult, SignUpResult } from './accounts.errors';
import { AuthPayload, LogInInput, SignUpInput } from './accounts.types';
import { Organization, OrganizationKind } from './organization.entity';
import { User } from './user.entity';

@Resolver(() => User)
export class UserResolver {
  constructor(private readonly accounts: AccountsService) {}

  @Query(() => User, { nullable: true, description: 'The signed-in person; null for anonymous callers and API keys' })
  async me(@Ctx() ctx: RequestContext): Promise<User | null> {
    const userId = userIdOf(ctx);
    return userId ? this.accounts.userById(userId) : null;
  }

  @FieldResolver(() => [Organization], { description: 'The organisations this person is a member of' })
  organizations(@Root() user: User): Promise<Organization[]> {
    return this.accounts.organizationsOfUser(user.id);
  }

  @Mutation(() => SignUpResult, { description: 'Creates an account (and its brand, agency or influencer profile) and signs in' })
  async signUp(@Arg('input', () => SignUpInput) input: SignUpInput, @Ctx() ctx: RequestContext): Promise<typeof SignUpResult> {
    return signedIn(ctx, await this.accounts.signUp(input));
  }

  @RateLimited(RateLimitPolicy.LOG_IN)
  @Mutation(() => LogInResult)
  async logIn(@Arg('input', () => LogInInput) input: LogInInput, @Ctx() ctx: RequestContext): Promise<typeof LogInResult> {
    return signedIn(ctx, await this.accounts.logIn(input));
  }
}

/** The rest of a successful signUp / logIn request acts as the new session, so `user { ... }` shows what `me` would. */
function signedIn<T>(ctx: RequestContext, result: T): T {
  if (result instanceof AuthPayload) ctx.principal = { kind: 'user', userId: result.user.id, role: result.user.role };
  return result;
}

@Resolver(() => Organization)
export class OrganizationResolver {
  constructor(private readonly accounts: AccountsService) {}

  @Authorized()
  @Query(() => Organization, { description: 'An organisation you belong to, or a brand your agency acts for' })
  organization(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Organization> {
    return this.accounts.organizationFor(requirePrincipal(ctx), id);
  }

  @FieldResolver(() => [Organization], { nullable: true, description: "An agency's client brands; null unless you are a member" })
  async clients(@Root() organization: Organization, @Ctx() ctx: RequestContext): Promise<Organization[] | null> {
    if (organization.kind !== OrganizationKind.AGENCY || !(await this.isMemberOrAdmin(ctx, organization.id))) return null;
    return this.accounts.agencyClients(organization.id);
  }

  @FieldResolver(() => [Organization], { nullable: true, description: 'The agencies a brand granted; null unless you are a member' })
  async agencies(@Root() organization: Organization, @Ctx() ctx: RequestContext): Promise<Organization[] | null> {
    if (organization.kind !== OrganizationKind.BRAND || !(await this.isMemberOrAdmin(ctx, organization.id))) return null;
    return this.accounts.brandAgencies(organization.id);
  }

  @Authorized(Role.BRAND, Role.ADMIN)
  @Mutation(() => AddAgencyClientResult, { description: 'A brand grants an agency the right to act for it' })
  addAgencyClient(
    @Arg('brandId', () => ID) brandId: string,
    @Arg('agencyId', () => ID) agencyId: string,
    @Ctx() ctx: RequestContext,
  ): Promise<typeof AddAgencyClientResult> {
    return this.accounts.addAgencyClient(requireUser(ctx), brandId, agencyId);
  }

  @Authorized(Role.BRAND, Role.ADMIN)
  @Mutation(() => Boolean, { description: "Withdraws an agency's grant; false when there was none" })
  removeAgencyClient(
    @Arg('brandId', () => ID) brandId: string,
    @Arg('agencyId', () => ID) agencyId: string,
    @Ctx() ctx: RequestContext,
  ): Promise<boolean> {
    return this.accounts.removeAgencyClient(requireUser(ctx), brandId, agencyId);
  }

  private async isMemberOrAdmin(ctx: RequestContext, organizationId: string): Promise<boolean> {
    const principal = ctx.principal;
    if (principal?.kind !== 'user') return false;
    return principal.role === Role.ADMIN || this.accounts.isMember(principal.userId, organizationId);
  }
}
