import type { DataSource } from 'typeorm';
import { managedBrandsSql } from '../../core/access';
import { decodeKeysetCursor, encodeCursor, pastTimestampCursorSql, toConnection } from '../../core/connection';
import { Role, type Principal, type UserPrincipal } from '../../core/context';
import { badInput, notFound } from '../../core/errors';
import { normalizeLanguage } from '../../core/language-code';
import { isUuid } from '../../core/ids';
import type { TopicsService } from '../topics/topics.service';
import { BrandSettings, type UpdateBrandSettingsInput } from './brand-settings.types';
import { Campaign, CampaignStatus } from './campaign.entity';
import {
  BudgetBelowSpentError,
  InvalidCampaignStateError,
  InvalidScheduleError,
  InventoryBelowClaimedError,
  UnknownTopicError,
} from './campaigns.errors';
import {
  CampaignConnection,
  TargetingView,
  TopicTargeting,
  type CreateCampaignInput,
  type TargetingInput,
  type UpdateCampaignInput,
} from './campaigns.types';
import { ConditionCode, type Targeting } from './targeting';
import { campaignDataSql, webhookEndpointsColumn, webhookEventsCte, WebhookEventType } from '../webhooks/webhook-events';
import type { WebhooksService } from '../webhooks/webhooks.service';

/** campaign.ended, from a statement's `u` (the campaigns as ended). */
const CAMPAIGN_ENDED_WEBHOOKS = webhookEventsCte('wh', [
  { type: WebhookEventType.CAMPAIGN_ENDED, rows: `SELECT u.brand_id, ${campaignDataSql('u')} AS data FROM u` },
]);

/** campaign.sold_out, from update's `u` when an inventory change sold the campaign out (`before`: the row as it was). */
const CAMPAIGN_SOLD_OUT_WEBHOOKS = webhookEventsCte('wh', [
  {
    type: WebhookEventType.CAMPAIGN_SOLD_OUT,
    rows: `SELECT u.brand_id, ${campaignDataSql('u')} AS data FROM u
           WHERE u.status = 'SOLD_OUT' AND (SELECT status FROM campaigns WHERE id = u.id) = 'ACTIVE'`,
  },
]);

/** What the matcher needs to know of a campaign to match it now or at its start. */
export type LiveCampaign = Pick<Campaign, 'id' | 'status' | 'startsAt'>;

/** Which fields may change in which status; everything else is refused with the reason. */
const EDITABLE_IN: Record<'perk' | 'startsAt' | 'targeting' | 'other', CampaignStatus[]> = {
  perk: [CampaignStatus.DRAFT],
  startsAt: [CampaignStatus.DRAFT],
  targeting: [CampaignStatus.DRAFT, CampaignStatus.PAUSED],
  other: [CampaignStatus.DRAFT, CampaignStatus.ACTIVE, CampaignStatus.PAUSED, CampaignStatus.SOLD_OUT],
};

type Transition = 'launch' | 'pause' | 'end';

const TRANSITIONS: Record<Transition, { from: CampaignStatus[]; verb: string }> = {
  launch: { from: [CampaignStatus.DRAFT, CampaignStatus.PAUSED], verb: 'launched' },
  pause: { from: [CampaignStatus.ACTIVE, CampaignStatus.SOLD_OUT], verb: 'paused' },
  end: { from: [CampaignStatus.DRAFT, CampaignStatus.ACTIVE, CampaignStatus.PAUSED, CampaignStatus.SOLD_OUT], verb: 'ended' },
};

const STATUS_HINT: Record<CampaignStatus, string> = {
  [CampaignStatus.DRAFT]: 'it is still a draft',
  [CampaignStatus.ACTIVE]: 'it is active: pause it first',
  [CampaignStatus.PAUSED]: 'it is paused',
  [CampaignStatus.SOLD_OUT]: 'it is sold out: add inventory or end it',
  [CampaignStatus.ENDED]: 'it has ended, which is final: create a new campaign',
};

/**
 * Told (after commit) when a campaign may need matching: launched (to start now or at its
 * startsAt), given more units or a new targeting, ended. The matching service is passed in; this
 * interface names what campaigns use of it, without importing matching, which imports campaigns.
 */
export interface CampaignMatcher {
  matchWhenLive(campaign: LiveCampaign): Promise<void>;
}

export class CampaignsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly topics: TopicsService,
    private readonly webhooks: WebhooksService,
    private readonly matcher: CampaignMatcher,
  ) {}

  async canManageBrand(principal: Principal, brandId: string): Promise<boolean> {
    if (!isUuid(brandId)) return false;
    const params: unknown[] = [brandId];
    const managed = managedBrandsSql(principal, params);
    const [row] = await this.dataSource.query(
      `SELECT EXISTS (SELECT 1 FROM organizations o WHERE o.id = $1 AND o.kind = 'BRAND' ${managed ? `AND o.id IN (${managed})` : ''}) AS ok`,
      params,
    );
    return row.ok;
  }

  /** A campaign the principal manages; anyone else is told it does not exist. */
  async visibleCampaign(principal: Principal, id: string): Promise<Campaign> {
    const campaign = isUuid(id) ? await this.dataSource.getRepository(Campaign).findOneBy({ id }) : null;
    if (!campaign || !(await this.canManageBrand(principal, campaign.brandId))) throw notFound('Campaign');
    return campaign;
  }

  /** Newest first, keyset pages on (created_at, id). */
  async list(
    principal: Principal,
    args: { status?: CampaignStatus; brandId?: string; first: number; after?: string },
  ): Promise<CampaignConnection> {
    const params: unknown[] = [];
    const where: string[] = [];
    const managed = managedBrandsSql(principal, params);
    if (managed) where.push(`c.brand_id IN (${managed})`);
    if (args.status) {
      params.push(args.status);
      where.push(`c.status = $${params.length}`);
    }
    if (args.brandId !== undefined) {
      if (!isUuid(args.brandId)) throw badInput('brandId is not a brand id', 'brandId');
      // A brand the principal does not manage is not found, as in every other brand-scoped operation.
      if (!(await this.canManageBrand(principal, args.brandId))) throw notFound('Brand');
      params.push(args.brandId);
      where.push(`c.brand_id = $${params.length}`);
    }
    const filter = where.length ? where.join(' AND ') : 'true';
    const countParams = [...params];
    let keyset = '';
    if (args.after) {
      const [createdAt, id] = decodeKeysetCursor(args.after, 'timestamp');
      params.push(createdAt, id);
      keyset = `AND ${pastTimestampCursorSql('campaigns', 'c', 'created_at', `$${params.length - 1}::timestamptz`, `$${params.length}::uuid`)}`;
    }
    params.push(args.first + 1);
    const repo = this.dataSource.getRepository(Campaign);
    const [ids, [{ total }]] = await Promise.all([
      this.dataSource.query(
        `SELECT c.id, c.created_at FROM campaigns c WHERE ${filter} ${keyset} ORDER BY c.created_at DESC, c.id DESC LIMIT $${params.length}`,
        params,
      ) as Promise<Array<{ id: string }>>,
      this.dataSource.query(`SELECT count(*)::int AS total FROM campaigns c WHERE ${filter}`, countParams) as Promise<
        Array<{ total: number }>
      >,
    ]);
    const rows = ids.length
      ? await repo
          .createQueryBuilder('c')
          .whereInIds(ids.map((r) => r.id))
          .getMany()
      : [];
    const byId = new Map(rows.map((c) => [c.id, c]));
    const ordered = ids.map((r) => byId.get(r.id)).filter((c): c is Campaign => c !== undefined);
    return toConnection(
      new CampaignConnection(),
      ordered,
      args.first,
      total,
      (c) => encodeCursor([c.createdAt.toISOString(), c.id]),
      Boolean(args.after),
    );
  }

  async create(principal: Principal, input: CreateCampaignInput): Promise<Campaign | InvalidScheduleError | UnknownTopicError> {
    const brandId = await this.brandFor(principal, input.brandId);
    const targeting = await this.normalizeTargeting(input.targeting ?? {});
    if (targeting instanceof UnknownTopicError) return targeting;
    const startsAt = input.startsAt ?? new Date();
    const scheduleError = checkSchedule(startsAt, input.endsAt);
    if (scheduleError) return scheduleError;
    const repo = this.dataSource.getRepository(Campaign);
    const saved = await repo.save(
      repo.create({
        brandId,
        createdBy: principal.kind === 'user' ? principal.userId : null,
        name: input.name.trim(),
        perkTitle: input.perk.title.trim(),
        perkDescription: input.perk.description,
        perkKind: input.perk.kind,
        perkValueCents: input.perk.valueCents,
        perkCurrency: input.perk.currency.toUpperCase(),
        inventory: input.inventory,
        remaining: input.inventory,
        targeting,
        startsAt,
        endsAt: input.endsAt,
        offerLifetimeHours: input.offerLifetimeHours,
        maxOutstandingOffers: input.maxOutstandingOffers ?? Math.min(2 * input.inventory, 1_000_000),
        budget: input.budget ?? null,
        status: CampaignStatus.DRAFT,
        launchedAt: null,
        endedAt: null,
      }),
    );
    return repo.findOneByOrFail({ id: saved.id });
  }

  /**
   * One conditional UPDATE: the status guard and the inventory arithmetic are checked by the
   * database against the row as it is at that moment, so a claim or a transition racing this
   * update cannot slip between a check and the write.
   */
  async update(
    principal: Principal,
    id: string,
    input: UpdateCampaignInput,
  ): Promise<
    Campaign | InvalidScheduleError | UnknownTopicError | InvalidCampaignStateError | InventoryBelowClaimedError | BudgetBelowSpentError
  > {
    const campaign = await this.visibleCampaign(principal, id);
    if (campaign.status === CampaignStatus.ENDED) {
      return new InvalidCampaignStateError(campaign.status, `The campaign cannot change: ${STATUS_HINT.ENDED}`);
    }
    const sets: string[] = [];
    const params: unknown[] = [id];
    const set = (column: string, value: unknown, cast = '') => {
      params.push(value);
      sets.push(`${column} = $${params.length}${cast}`);
    };
    let allowed = EDITABLE_IN.other;
    const restrict = (field: keyof typeof EDITABLE_IN, name: string) => {
      allowed = allowed.filter((s) => EDITABLE_IN[field].includes(s));
      if (!EDITABLE_IN[field].includes(campaign.status)) {
        return new InvalidCampaignStateError(campaign.status, `${name} cannot change now: ${STATUS_HINT[campaign.status]}`);
      }
      return null;
    };

    if (input.name !== undefined) set('name', input.name.trim());
    if (input.perk !== undefined) {
      const refused = restrict('perk', 'The perk');
      if (refused) return refused;
      set('perk_title', input.perk.title.trim());
      set('perk_description', input.perk.description);
      set('perk_kind', input.perk.kind);
      set('perk_value_cents', input.perk.valueCents);
      set('perk_currency', input.perk.currency.toUpperCase());
    }
    if (input.targeting !== undefined) {
      const refused = restrict('targeting', 'Targeting');
      if (refused) return refused;
      const targeting = await this.normalizeTargeting(input.targeting);
      if (targeting instanceof UnknownTopicError) return targeting;
      set('targeting', JSON.stringify(targeting), '::jsonb');
    }
    if (input.startsAt !== undefined || input.endsAt !== undefined) {
      if (input.startsAt !== undefined) {
        const refused = restrict('startsAt', 'startsAt');
        if (refused) return refused;
      }
      const startsAt = input.startsAt ?? campaign.startsAt;
      const endsAt = input.endsAt ?? campaign.endsAt;
      const scheduleError = checkSchedule(startsAt, endsAt);
      if (scheduleError) return scheduleError;
      if (input.startsAt !== undefined) set('starts_at', startsAt);
      if (input.endsAt !== undefined) set('ends_at', endsAt);
    }
    if (input.offerLifetimeHours !== undefined) set('offer_lifetime_hours', input.offerLifetimeHours);
    if (input.maxOutstandingOffers !== undefined) set('max_outstanding_offers', input.maxOutstandingOffers);

    let inventoryGuard = '';
    if (input.inventory !== undefined) {
      params.push(input.inventory);
      const n = `$${params.length}::int`;
      sets.push(`inventory = ${n}`, `remaining = remaining + (${n} - inventory)`);
      // Selling out or getting units back moves a live campaign between ACTIVE and SOLD_OUT.
      sets.push(
        `status = CASE WHEN status = 'ACTIVE' AND remaining + (${n} - inventory) = 0 THEN 'SOLD_OUT'::campaign_status
                       WHEN status = 'SOLD_OUT' AND remaining + (${n} - inventory) > 0 THEN 'ACTIVE'::campaign_status
                       ELSE status END`,
      );
      inventoryGuard = `AND remaining + (${n} - inventory) >= 0`;
    }
    let budgetGuard = '';
    if (input.budget !== undefined) {
      // Null removes the budget. Spending stays tracked either way; a budget may not go below it.
      params.push(input.budget);
      const budget = `$${params.length}::bigint`;
      sets.push(`budget = ${budget}`);
      budgetGuard = `AND (${budget} IS NULL OR budget_spent <= ${budget})`;
    }
    if (sets.length === 0) return campaign;
    params.push(allowed);
    // The CTE reads campaigns as they were before the statement (its snapshot): a change to SOLD_OUT is seen.
    const soldOut = input.inventory !== undefined;
    const updated: Array<{ id: string; webhook_endpoint_ids: string[] | null }> = await this.dataSource.query(
      `WITH u AS (UPDATE campaigns SET ${sets.join(', ')}, updated_at = now()
         WHERE id = $1 AND status = ANY($${params.length}::campaign_status[]) ${inventoryGuard} ${budgetGuard} RETURNING *)
       ${soldOut ? `, ${CAMPAIGN_SOLD_OUT_WEBHOOKS}` : ''}
       SELECT id, ${soldOut ? webhookEndpointsColumn('wh') : 'NULL AS webhook_endpoint_ids'} FROM u`,
      params,
    );
    const current = await this.dataSource.getRepository(Campaign).findOneByOrFail({ id });
    if (updated.length > 0) {
      this.webhooks.requestDelivery(updated[0].webhook_endpoint_ids);
      if (
        input.inventory !== undefined ||
        input.targeting !== undefined ||
        input.maxOutstandingOffers !== undefined ||
        input.budget !== undefined
      )
        await this.matcher.matchWhenLive(current);
      return current;
    }
    if (!allowed.includes(current.status)) {
      return new InvalidCampaignStateError(current.status, `The campaign cannot change that now: ${STATUS_HINT[current.status]}`);
    }
    // The guards the row failed, read after the UPDATE refused it (the answer, not the decision).
    if (input.inventory !== undefined && current.inventory - current.remaining > input.inventory) {
      return new InventoryBelowClaimedError(current.inventory - current.remaining);
    }
    return new BudgetBelowSpentError(current.budgetSpent);
  }

  /** Moves a campaign along DRAFT -> ACTIVE <-> PAUSED -> ENDED with a guarded UPDATE. */
  async transition(principal: Principal, id: string, to: Transition): Promise<Campaign | InvalidCampaignStateError | InvalidScheduleError> {
    await this.visibleCampaign(principal, id);
    const rule = TRANSITIONS[to];
    const assignments = {
      launch: `status = CASE WHEN remaining = 0 THEN 'SOLD_OUT'::campaign_status ELSE 'ACTIVE'::campaign_status END, launched_at = coalesce(launched_at, now())`,
      pause: `status = 'PAUSED'`,
      end: `status = 'ENDED', ended_at = now()`,
    }[to];
    const ended = to === 'end';
    const updated: Array<{ id: string; webhook_endpoint_ids: string[] | null }> = await this.dataSource.query(
      `WITH u AS (UPDATE campaigns SET ${assignments}, updated_at = now()
         WHERE id = $1 AND status = ANY($2::campaign_status[]) ${to === 'launch' ? 'AND ends_at > now()' : ''} RETURNING *)
       ${ended ? `, ${CAMPAIGN_ENDED_WEBHOOKS}` : ''}
       SELECT id, ${ended ? webhookEndpointsColumn('wh') : 'NULL AS webhook_endpoint_ids'} FROM u`,
      [id, rule.from],
    );
    const current = await this.dataSource.getRepository(Campaign).findOneByOrFail({ id });
    if (updated.length > 0) {
      this.webhooks.requestDelivery(updated[0].webhook_endpoint_ids);
      if (to !== 'pause') await this.matcher.matchWhenLive(current);
      return current;
    }
    if (!rule.from.includes(current.status)) {
      return new InvalidCampaignStateError(current.status, `The campaign cannot be ${rule.verb}: ${STATUS_HINT[current.status]}`);
    }
    return new InvalidScheduleError(`endsAt (${current.endsAt.toISOString()}) has passed: move endsAt later before launching`);
  }

  async brandSettings(brandId: string): Promise<BrandSettings> {
    const [row] = await this.dataSource.query(`SELECT id, max_active_claims_per_influencer FROM organizations WHERE id = $1`, [brandId]);
    return brandSettingsOf(row);
  }

  /**
   * A brand's members and operators change its settings, in one guarded UPDATE (anyone else, and
   * any id that is not a brand: NOT_FOUND). A new or higher cap may open the brand's live
   * campaigns to people it held back, so they are matched again.
   */
  async updateBrandSettings(user: UserPrincipal, brandId: string, input: UpdateBrandSettingsInput): Promise<BrandSettings> {
    if (!isUuid(brandId)) throw notFound('Brand');
    const params: unknown[] = [brandId, user.role === Role.ADMIN, user.userId];
    const sets: string[] = [];
    if (input.maxActiveClaimsPerInfluencer !== undefined) {
      params.push(input.maxActiveClaimsPerInfluencer);
      sets.push(`max_active_claims_per_influencer = $${params.length}::int`);
    }
    const [row] = await this.dataSource.query(
      `WITH u AS (UPDATE organizations o SET ${sets.length ? sets.join(', ') : 'id = o.id'}
                  WHERE o.id = $1 AND o.kind = 'BRAND'
                    AND ($2::boolean OR EXISTS (SELECT 1 FROM memberships m WHERE m.organization_id = o.id AND m.user_id = $3::uuid))
                  RETURNING o.id, o.max_active_claims_per_influencer)
       SELECT * FROM u`,
      params,
    );
    if (!row) throw notFound('Brand');
    if (sets.length) {
      const live: Array<{ id: string; status: CampaignStatus; starts_at: Date }> = await this.dataSource.query(
        `SELECT id, status, starts_at FROM campaigns WHERE brand_id = $1 AND status IN ('ACTIVE', 'SOLD_OUT')`,
        [brandId],
      );
      for (const c of live) await this.matcher.matchWhenLive({ id: c.id, status: c.status, startsAt: c.starts_at });
    }
    return brandSettingsOf(row);
  }

  /** Ends every live campaign whose endsAt has passed; returns how many. Run by a scheduled job. */
  async endExpired(): Promise<number> {
    const rows: Array<{ id: string; starts_at: Date; webhook_endpoint_ids: string[] | null }> = await this.dataSource.query(
      `WITH u AS (UPDATE campaigns SET status = 'ENDED', ended_at = ends_at, updated_at = now()
         WHERE status IN ('ACTIVE', 'PAUSED', 'SOLD_OUT') AND ends_at <= now() RETURNING *),
       ${CAMPAIGN_ENDED_WEBHOOKS}
       SELECT id, starts_at, ${webhookEndpointsColumn('wh')} FROM u`,
    );
    this.webhooks.requestDelivery(rows[0]?.webhook_endpoint_ids);
    for (const row of rows) await this.matcher.matchWhenLive({ id: row.id, status: CampaignStatus.ENDED, startsAt: row.starts_at });
    return rows.length;
  }

  /** Checks and normalizes a targeting input into the stored [{ code, args }] list. */
  async normalizeTargeting(input: TargetingInput): Promise<Targeting | UnknownTopicError> {
    const targeting: Targeting = [];
    const unique = <T>(values: T[]) => [...new Set(values)].sort();
    if (input.minScore != null) targeting.push({ code: ConditionCode.MIN_SCORE, args: { min: input.minScore } });
    if (input.topics != null) {
      const slugs = unique(input.topics.slugs.map((s) => s.trim().toLowerCase()));
      const known = await this.topics.bySlug();
      const missing = slugs.filter((s) => !known.has(s));
      if (missing.length) return new UnknownTopicError(missing);
      const topicIds = slugs.map((s) => known.get(s)!.id);
      targeting.push({ code: ConditionCode.TOPICS, args: { slugs, topicIds, minTopicScore: input.topics.minTopicScore ?? null } });
    }
    if (input.countries != null)
      targeting.push({ code: ConditionCode.COUNTRIES, args: { codes: unique(input.countries.map((c) => c.toUpperCase())) } });
    if (input.languages != null)
      targeting.push({ code: ConditionCode.LANGUAGES, args: { codes: unique(input.languages.map(normalizeLanguage)) } });
    if (input.networks != null) targeting.push({ code: ConditionCode.NETWORKS, args: { networks: unique(input.networks) } });
    if (input.minReach != null) targeting.push({ code: ConditionCode.MIN_REACH, args: { min: input.minReach } });
    if (input.minAudienceQuality != null) {
      targeting.push({ code: ConditionCode.MIN_AUDIENCE_QUALITY, args: { min: input.minAudienceQuality } });
    }
    if (input.excludedInfluencerIds != null && input.excludedInfluencerIds.length > 0) {
      targeting.push({
        code: ConditionCode.EXCLUDED_INFLUENCERS,
        args: { ids: unique(input.excludedInfluencerIds.map((id) => id.toLowerCase())) },
      });
    }
    return targeting;
  }

  /** The brand a new campaign is for: the one named (if the principal manages it), or the person's only brand. */
  private async brandFor(principal: Principal, brandId?: string): Promise<string> {
    if (brandId !== undefined) {
      if (!(await this.canManageBrand(principal, brandId))) throw notFound('Brand');
      return brandId;
    }
    if (principal.kind === 'apiKey') {
      if (principal.organizationId && (await this.canManageBrand(principal, principal.organizationId))) return principal.organizationId;
      throw badInput('Name the client brand the campaign is for: brandId', 'brandId');
    }
    const brands: Array<{ id: string }> = await this.dataSource.query(
      `SELECT o.id FROM memberships m JOIN organizations o ON o.id = m.organization_id AND o.kind = 'BRAND' WHERE m.user_id = $1`,
      [principal.userId],
    );
    if (brands.length === 1) return brands[0].id;
    throw badInput(
      brands.length === 0 ? 'Name the client brand the campaign is for: brandId' : 'You belong to several brands: pass brandId',
      'brandId',
    );
  }
}

function brandSettingsOf(row: { id: string; max_active_claims_per_influencer: number | null }): BrandSettings {
  return Object.assign(new BrandSettings(), { brandId: row.id, maxActiveClaimsPerInfluencer: row.max_active_claims_per_influencer });
}

function checkSchedule(startsAt: Date, endsAt: Date): InvalidScheduleError | null {
  if (endsAt.getTime() <= startsAt.getTime()) {
    return new InvalidScheduleError(`endsAt (${endsAt.toISOString()}) must be after startsAt (${startsAt.toISOString()})`);
  }
  if (endsAt.getTime() <= Date.now())
    return new InvalidScheduleError(`endsAt (${endsAt.toISOString()}) is in the past: choose a later end`);
  return null;
}

/** The stored condition list as the GraphQL shape. */
export function targetingView(targeting: Targeting): TargetingView {
  const view: TargetingView = Object.assign(new TargetingView(), {
    minScore: null,
    topics: null,
    countries: null,
    languages: null,
    networks: null,
    minReach: null,
    minAudienceQuality: null,
    excludedInfluencerIds: null,
    conditions: targeting.map((c) => c.code),
  } satisfies TargetingView);
  for (const c of targeting) {
    if (c.code === ConditionCode.MIN_SCORE) view.minScore = c.args.min;
    if (c.code === ConditionCode.MIN_REACH) view.minReach = c.args.min;
    if (c.code === ConditionCode.MIN_AUDIENCE_QUALITY) view.minAudienceQuality = c.args.min;
    if (c.code === ConditionCode.TOPICS)
      view.topics = Object.assign(new TopicTargeting(), { slugs: c.args.slugs, minTopicScore: c.args.minTopicScore });
    if (c.code === ConditionCode.COUNTRIES) view.countries = c.args.codes;
    if (c.code === ConditionCode.LANGUAGES) view.languages = c.args.codes;
    if (c.code === ConditionCode.NETWORKS) view.networks = c.args.networks;
    if (c.code === ConditionCode.EXCLUDED_INFLUENCERS) view.excludedInfluencerIds = c.args.ids;
  }
  return view;
}
