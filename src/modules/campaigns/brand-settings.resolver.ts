import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { Role, requireUser, type RequestContext } from '../../core/context';
import { Organization, OrganizationKind } from '../accounts/organization.entity';
import { BrandSettings, UpdateBrandSettingsInput, UpdateBrandSettingsResult } from './brand-settings.types';
import { CampaignsService } from './campaigns.service';

@Resolver(() => Organization)
export class BrandSettingsResolver {
  constructor(private readonly campaigns: CampaignsService) {}

  // The brand's own people and operators set its policy; agencies act on campaigns, not on it.
  @Authorized(Role.BRAND, Role.ADMIN)
  @Mutation(() => UpdateBrandSettingsResult, {
    description: "Changes a brand's settings (its members and operators; anyone else: NOT_FOUND)",
  })
  updateBrandSettings(
    @Arg('brandId', () => ID) brandId: string,
    @Arg('input', () => UpdateBrandSettingsInput) input: UpdateBrandSettingsInput,
    @Ctx() ctx: RequestContext,
  ): Promise<typeof UpdateBrandSettingsResult> {
    return this.campaigns.updateBrandSettings(requireUser(ctx), brandId, input);
  }

  @FieldResolver(() => BrandSettings, {
    nullable: true,
    description: "A brand's settings, for those who manage its campaigns; null for agencies and for anyone else",
  })
  async brandSettings(@Root() organization: Organization, @Ctx() ctx: RequestContext): Promise<BrandSettings | null> {
    if (organization.kind !== OrganizationKind.BRAND || !ctx.principal) return null;
    return (await this.campaigns.canManageBrand(ctx.principal, organization.id)) ? this.campaigns.brandSettings(organization.id) : null;
  }
}
