import { Counter, Histogram, type Metric, type Registry } from 'prom-client';

/**
 * What the marketplace does, counted where it happens: the services increment these (one
 * in-memory addition each, no I/O) and every metrics registry (the API's and the worker's)
 * exposes them. Each process counts its own events: claims, redemptions, cancellations and
 * ingestion happen in the API; score runs in the worker. Prometheus sums across processes
 * (`sum by (outcome) (rate(perks_claims_total[5m]))`). Labels take a few fixed values only.
 */
export const businessMetrics = {
  claims: new Counter({
    name: 'perks_claims_total',
    help: 'claimOffer answers by outcome: claimed, replayed (an idempotency key answered again) or the error code (SOLD_OUT, NOT_ELIGIBLE, ...)',
    labelNames: ['outcome'],
    registers: [],
  }),
  claimWays: new Counter({
    name: 'perks_claim_ways_total',
    help: 'claimOffer answers by the way they took: one_message (decided in SQL, one round trip) or two_messages (explained, replayed or capped)',
    labelNames: ['way'],
    registers: [],
  }),
  redemptions: new Counter({
    name: 'perks_redemptions_total',
    help: 'Claims redeemed (redeemClaim that redeemed a code)',
    registers: [],
  }),
  cancellations: new Counter({
    name: 'perks_claim_cancellations_total',
    help: "Claims cancelled, by who cancelled: influencer (their own) or brand (the brand's side: a manager, an agency, an operator, a key)",
    labelNames: ['by'],
    registers: [],
  }),
  ingested: new Counter({
    name: 'perks_ingested_items_total',
    help: 'Items ingestActivity stored, by kind (posts, interactions, accounts); duplicates and rejected items not counted',
    labelNames: ['kind'],
    registers: [],
  }),
  ingestRejected: new Counter({
    name: 'perks_ingest_rejected_total',
    help: 'Items ingestActivity rejected, by reason (the RejectionCode: MALFORMED_ITEM, UNKNOWN_POST, ...)',
    labelNames: ['reason'],
    registers: [],
  }),
  scoreRunPhases: new Histogram({
    name: 'perks_score_run_phase_duration_seconds',
    help: 'Duration of each phase (loading, computing, writing, switching, total) of the score runs this process computed',
    labelNames: ['phase'],
    buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 1800, 3600],
    registers: [],
  }),
};

/** Adds the business metrics to a process's registry (a metric may sit in several registries). */
export function registerBusinessMetrics(registry: Registry): void {
  for (const metric of Object.values(businessMetrics) as Metric[]) registry.registerMetric(metric);
}
