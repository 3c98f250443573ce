import { Client } from 'pg';
import {
  ConditionCode,
  explainTargeting,
  targetingFactsSql,
  type Targeting,
  type TargetingCondition,
} from '../../src/modules/campaigns/targeting';
import { influencerFacts, type InfluencerFactsRow } from '../../src/modules/campaigns/targeting-facts';

/**
 * The claim's one message decides eligibility in SQL (each condition's factsSql over a facts row),
 * the long way in TypeScript (explain). The SQL may only be stricter: wherever it says yes, explain
 * must find nothing, or a claim would pass that the long way refuses. Checked on real Postgres over
 * seeded random facts and targetings, many on the conditions' edges, each facts row built and read
 * back through the driver as the claim's own statements read it.
 */

/** A small deterministic generator (mulberry32), so a failure names a case that comes back. */
function generator(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const IDS = ['7d1b5f0e-4a51-4c2e-9a55-1f2d3c4b5a60', '0c373e12-d61f-4120-bdd4-83e6e386cebd', 'e21eaa65-86ba-4655-8597-a0646896ed46'];
const COUNTRIES = ['FR', 'US', 'DE'];
const LANGUAGES = ['fr', 'en', 'pt-br'];
const NETWORKS = ['X', 'INSTAGRAM', 'YOUTUBE', 'TIKTOK'];
const TOPICS = ['fashion', 'tech', 'food', 'travel'];
/** Thresholds whose float32 rounding goes down (0.7), up (0.1), or nowhere (0.5): audience quality's edges. */
const QUALITY_MINS = [0, 0.1, 0.3, 0.5, 0.7, 0.9, 1];

interface Case {
  row: { id: string; score: number | null; reach: number; audienceQuality: number | null };
  country: string | null;
  language: string | null;
  networks: string[];
  topics: Record<string, number> | null;
  targeting: Targeting;
}

function randomCase(next: () => number): Case {
  const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)];
  const some = <T>(values: readonly T[]): T[] => values.filter(() => next() < 0.4);
  const score = next() < 0.1 ? null : 1 + Math.floor(next() * 100);
  const min = 1 + Math.floor(next() * 100);
  // Reach and quality near a threshold half the time: at it, a float32 step either side, or far.
  const near = (edge: number) => edge + pick([-1e-6, -(2 ** -24), 0, 2 ** -24, 1e-6, next() * 4 - 2]);
  const reach = Math.max(0, near(min - 0.5));
  const qualityMin = pick(QUALITY_MINS);
  const audienceQuality =
    next() < 0.1 ? null : Math.min(1, Math.max(0, next() < 0.5 ? Math.fround(qualityMin) + pick([0, -1e-7, 1e-7]) : next()));
  const topics = next() < 0.2 ? null : Object.fromEntries(some(TOPICS).map((t) => [t, 1 + Math.floor(next() * 100)]));
  const conditions: TargetingCondition[] = [
    { code: ConditionCode.MIN_SCORE, args: { min: pick([min, score ?? min]) } },
    { code: ConditionCode.MIN_REACH, args: { min } },
    { code: ConditionCode.MIN_AUDIENCE_QUALITY, args: { min: qualityMin } },
    {
      code: ConditionCode.TOPICS,
      args: {
        slugs: some(TOPICS).length ? some(TOPICS) : [pick(TOPICS)],
        topicIds: [1],
        minTopicScore: next() < 0.4 ? null : pick([1, 50, 100]),
      },
    },
    { code: ConditionCode.COUNTRIES, args: { codes: some(COUNTRIES) } },
    { code: ConditionCode.LANGUAGES, args: { codes: some(LANGUAGES) } },
    { code: ConditionCode.NETWORKS, args: { networks: some(NETWORKS) as never } },
    { code: ConditionCode.EXCLUDED_INFLUENCERS, args: { ids: some(IDS) } },
  ];
  return {
    row: { id: pick(IDS), score, reach, audienceQuality },
    country: next() < 0.15 ? null : pick(COUNTRIES),
    language: next() < 0.15 ? null : pick(LANGUAGES),
    networks: some(NETWORKS),
    topics,
    // One to three conditions, sometimes none.
    targeting: conditions.filter(() => next() < 0.3).slice(0, 3),
  };
}

describe('targeting: the claim SQL face never admits whom explain refuses (real Postgres)', () => {
  let client: Client;
  beforeAll(async () => {
    client = new Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
  });

  /** Builds the facts row as a statement would hold it and reads it back with the SQL verdict. */
  const factsWithVerdict = async (c: Case, targeting: unknown): Promise<InfluencerFactsRow & { ok: boolean | null }> => {
    const { rows } = await client.query(
      `SELECT f.*, ${targetingFactsSql('$9::jsonb', 'f')} AS ok
       FROM (SELECT $1::uuid AS id, $2::bpchar(2) AS country, $3::varchar(8) AS language, $4::smallint AS score, $5::real AS reach,
                    $6::real AS audience_quality, $7::text[] AS networks, $8::jsonb AS topics) f`,
      [
        c.row.id,
        c.country,
        c.language,
        c.row.score,
        c.row.reach,
        c.row.audienceQuality,
        c.networks,
        JSON.stringify(c.topics),
        JSON.stringify(targeting),
      ],
    );
    return rows[0];
  };
  const verdict = async (c: Case): Promise<{ sql: boolean; explained: string[] }> => {
    const row = await factsWithVerdict(c, c.targeting);
    const explained = explainTargeting(c.targeting, influencerFacts(row)).map((f) => `${f.condition}: ${f.message}`);
    return { sql: row.ok === true, explained };
  };
  /** The SQL verdict alone, for targetings explain cannot read. */
  const sqlVerdict = async (c: Case, targeting: unknown) => (await factsWithVerdict(c, targeting)).ok === true;

  it('agrees with explain on 3,000 seeded cases, and where they differ only refuses more', async () => {
    const next = generator(20261204);
    let eligible = 0;
    let stricter = 0;
    for (let i = 0; i < 3000; i++) {
      const c = randomCase(next);
      const { sql, explained } = await verdict(c);
      // Soundness: a yes in SQL is a yes in explain.
      if (sql && explained.length > 0)
        throw new Error(`case ${i}: SQL admits, explain refuses (${explained.join('; ')}): ${JSON.stringify(c)}`);
      if (sql) eligible++;
      // Stricter is allowed only at quality's float32 edge (a threshold rounding down to the stored real).
      if (!sql && explained.length === 0) {
        const quality = c.targeting.find((t) => t.code === ConditionCode.MIN_AUDIENCE_QUALITY)?.args as { min: number } | undefined;
        if (!quality || Math.fround(quality.min) >= quality.min) {
          throw new Error(`case ${i}: SQL refuses, explain admits, off the known edge: ${JSON.stringify(c)}`);
        }
        stricter++;
      }
    }
    // The cases reach both answers, and the edge stays rare.
    expect(eligible).toBeGreaterThan(300);
    expect(eligible).toBeLessThan(2700);
    expect(stricter).toBeLessThan(30);
  });

  it('refuses what it cannot read: an unknown condition, a targeting that is not an array, an unscored influencer, a padded country', async () => {
    const base: Case = {
      row: { id: IDS[0], score: 50, reach: 50, audienceQuality: 0.5 },
      country: 'FR',
      language: 'fr',
      networks: ['X'],
      topics: { tech: 40 },
      targeting: [],
    };
    expect(await verdict(base)).toEqual({ sql: true, explained: [] });
    expect(await sqlVerdict(base, [])).toBe(true);
    expect(await sqlVerdict(base, [{ code: 'SOMETHING_NEW', args: {} }])).toBe(false);
    expect(await sqlVerdict(base, { code: ConditionCode.MIN_SCORE, args: { min: 1 } })).toBe(false);
    expect(await sqlVerdict(base, null)).toBe(false);
    expect((await verdict({ ...base, row: { ...base.row, score: null } })).sql).toBe(false);
    // A one-letter country reaches explain padded ("F "): the SQL face does not guess, it sends the claim the long way.
    const padded = await verdict({ ...base, country: 'F', targeting: [{ code: ConditionCode.COUNTRIES, args: { codes: ['F'] } }] });
    expect(padded.sql).toBe(false);
  });
});
