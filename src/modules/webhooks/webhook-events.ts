import { registerEnumType } from 'type-graphql';

/**
 * The events an endpoint can subscribe to. GraphQL shows the names (CLAIM_CREATED); the values are
 * the wire names receivers see in `type` (claim.created), stored as such in Postgres.
 */
export enum WebhookEventType {
  CLAIM_CREATED = 'claim.created',
  CLAIM_CANCELLED = 'claim.cancelled',
  CLAIM_REDEEMED = 'claim.redeemed',
  OFFER_DECLINED = 'offer.declined',
  CAMPAIGN_SOLD_OUT = 'campaign.sold_out',
  CAMPAIGN_ENDED = 'campaign.ended',
}
registerEnumType(WebhookEventType, {
  name: 'WebhookEventType',
  description: 'What a webhook tells; receivers see the wire name in `type` (CLAIM_CREATED is "claim.created")',
});

/** One kind of event a statement may record: `rows` is a query (or CTE name's SELECT) giving brand_id and data per event. */
export interface EventSource {
  type: WebhookEventType;
  /** A SELECT with columns `brand_id` (uuid) and `data` (jsonb), one row per event (none: no event). */
  rows: string;
}

/**
 * The jsonb a claim event carries: ids, status and times, never the redemption code. `c` is a row
 * (or RETURNING) of claims.
 */
export function claimDataSql(c: string, options: { fresh?: boolean } = {}): string {
  // A claim just created has neither time yet (and the statement that creates it does not return them).
  const [redeemed, cancelled] = options.fresh ? ['NULL::timestamptz', 'NULL::timestamptz'] : [`${c}.redeemed_at`, `${c}.cancelled_at`];
  return `jsonb_build_object('id', ${c}.id, 'campaignId', ${c}.campaign_id, 'influencerId', ${c}.influencer_id, 'status', ${c}.status,
            'claimedAt', ${c}.claimed_at, 'redeemedAt', ${redeemed}, 'cancelledAt', ${cancelled})`;
}

/** The jsonb of offer.declined; `o` is a row of offers. */
export function offerDataSql(o: string): string {
  return `jsonb_build_object('id', ${o}.id, 'campaignId', ${o}.campaign_id, 'influencerId', ${o}.influencer_id, 'declinedAt', ${o}.closed_at)`;
}

/** The jsonb of campaign events; `k` is a row of campaigns (status and remaining may be overridden by expressions). */
export function campaignDataSql(k: string, override: { status?: string; remaining?: string } = {}): string {
  return `jsonb_build_object('id', ${k}.id, 'brandId', ${k}.brand_id, 'name', ${k}.name, 'status', ${override.status ?? `${k}.status`},
            'inventory', ${k}.inventory, 'remaining', ${override.remaining ?? `${k}.remaining`}, 'endedAt', ${k}.ended_at)`;
}

/** The organisations told about a brand's events: the brand and every agency it granted. */
function receiversSql(brandId: string): string {
  return `SELECT ${brandId} UNION ALL SELECT ac.agency_id FROM agency_clients ac WHERE ac.brand_id = ${brandId}`;
}

function subscribedSql(e: string, type: string, brandId: string): string {
  return `${e}.status = 'ENABLED' AND ${type} = ANY(${e}.events) AND ${e}.organization_id IN (${receiversSql(brandId)})`;
}

/**
 * CTEs (to append to a statement's WITH list, after the CTEs the sources read) that record webhook
 * events in the statement's own transaction: an event and one PENDING delivery per enabled endpoint
 * subscribed to its type, of its brand or of an agency the brand granted. An event nobody
 * subscribed to is not written: a brand without endpoints pays one indexed probe per event.
 * Data-modifying CTEs see the snapshot before the statement, so sources read what the statement
 * changed through the RETURNING of its CTEs. Defines `${name}_deliveries (endpoint_id)`;
 * `webhookEndpointsColumn(name)` is the output column the caller hands to WebhooksService.requestDelivery.
 */
export function webhookEventsCte(name: string, sources: EventSource[]): string {
  const union = sources
    .map((s, i) => `SELECT ${i} AS ord, '${s.type}'::text AS type, src.brand_id, src.data FROM (${s.rows}) src`)
    .join(' UNION ALL ');
  return `${name}_source AS (${union}),
   ${name}_events AS (
     INSERT INTO webhook_events (type, brand_id, data)
     SELECT s.type, s.brand_id, s.data FROM ${name}_source s
     WHERE EXISTS (SELECT 1 FROM webhook_endpoints e WHERE ${subscribedSql('e', 's.type', 's.brand_id')})
     ORDER BY s.ord
     RETURNING id, seq, type, brand_id),
   ${name}_deliveries AS (
     INSERT INTO webhook_deliveries (event_id, event_seq, endpoint_id)
     SELECT ev.id, ev.seq, e.id FROM ${name}_events ev JOIN webhook_endpoints e ON ${subscribedSql('e', 'ev.type', 'ev.brand_id')}
     ORDER BY ev.seq
     RETURNING endpoint_id)`;
}

/** The output column listing the endpoints that got deliveries (null when none), named webhook_endpoint_ids. */
export function webhookEndpointsColumn(name: string): string {
  return `(SELECT array_agg(DISTINCT endpoint_id)::text[] FROM ${name}_deliveries) AS webhook_endpoint_ids`;
}
