import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { Role, requirePrincipal, requireUser, type RequestContext } from '../../core/context';
import { AccountsService } from './accounts.service';
import { CreateApiKeyResult } from './accounts.errors';
import { CreateApiKeyInput } from './accounts.types';
import { ApiKey } from './api-key.entity';

@Resolver(() => ApiKey)
export class ApiKeyResolver {
  constructor(private readonly accounts: AccountsService) {}

  @Authorized(Role.ADMIN, Role.BRAND, Role.AGENCY)
  @Mutation(() => CreateApiKeyResult, {
    description: 'Operators create INGEST keys for connectors; brand and agency members create keys for their organisation',
  })
  createApiKey(
    @Arg('input', () => CreateApiKeyInput) input: CreateApiKeyInput,
    @Ctx() ctx: RequestContext,
  ): Promise<typeof CreateApiKeyResult> {
    return this.accounts.createApiKey(requireUser(ctx), input);
  }

  @Authorized(Role.ADMIN, Role.BRAND, Role.AGENCY)
  @Mutation(() => ApiKey, { description: 'Revokes a key at once; revoking twice is harmless' })
  revokeApiKey(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<ApiKey> {
    return this.accounts.revokeApiKey(requireUser(ctx), id);
  }

  @Authorized(Role.ADMIN, Role.BRAND, Role.AGENCY)
  @Query(() => [ApiKey], { description: "The keys you manage: an operator's connector keys, or your organisations' keys" })
  apiKeys(@Ctx() ctx: RequestContext): Promise<ApiKey[]> {
    return this.accounts.manageableApiKeys(requireUser(ctx));
  }

  @Authorized()
  @Query(() => ApiKey, { nullable: true, description: 'The API key this request was made with; null for people' })
  async currentApiKey(@Ctx() ctx: RequestContext): Promise<ApiKey | null> {
    const principal = requirePrincipal(ctx);
    return principal.kind === 'apiKey' ? this.accounts.apiKeyById(principal.keyId) : null;
  }
}
