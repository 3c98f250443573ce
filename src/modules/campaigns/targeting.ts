import { Network } from '../influencers/network';

/**
 * Targeting conditions, Vendure-style: a registry of named conditions with typed arguments. Each
 * condition has two faces that must agree: a SQL predicate for set-based filtering (search,
 * matching) and an explanation for one influencer (eligibility, the claim-time re-check). A
 * campaign stores its targeting as [{ code, args }].
 */
export enum ConditionCode {
  MIN_SCORE = 'MIN_SCORE',
  TOPICS = 'TOPICS',
  COUNTRIES = 'COUNTRIES',
  LANGUAGES = 'LANGUAGES',
  NETWORKS = 'NETWORKS',
  MIN_REACH = 'MIN_REACH',
  MIN_AUDIENCE_QUALITY = 'MIN_AUDIENCE_QUALITY',
  EXCLUDED_INFLUENCERS = 'EXCLUDED_INFLUENCERS',
}

export interface ConditionArgs {
  [ConditionCode.MIN_SCORE]: { min: number };
  [ConditionCode.TOPICS]: { slugs: string[]; topicIds: number[]; minTopicScore: number | null };
  [ConditionCode.COUNTRIES]: { codes: string[] };
  /** ISO 639-1, lower case. */
  [ConditionCode.LANGUAGES]: { codes: string[] };
  [ConditionCode.NETWORKS]: { networks: Network[] };
  [ConditionCode.MIN_REACH]: { min: number };
  [ConditionCode.MIN_AUDIENCE_QUALITY]: { min: number };
  [ConditionCode.EXCLUDED_INFLUENCERS]: { ids: string[] };
}

export type TargetingCondition = { [C in ConditionCode]: { code: C; args: ConditionArgs[C] } }[ConditionCode];
export type Targeting = TargetingCondition[];

/** What one influencer looks like to the conditions: read from the current score snapshot. */
export interface InfluencerFacts {
  influencerId: string;
  /** Null when the influencer is not in the current snapshot (not scored yet). */
  score: number | null;
  /** The reach component, unrounded, as stored. */
  reach: number | null;
  /** The credible share of the engagement (0..1) as stored (a real); null for runs of score model 1. */
  audienceQuality: number | null;
  country: string | null;
  /** ISO 639-1, lower case, as the profile holds it. */
  language: string | null;
  networks: string[];
  /** Topic slug -> topic score, for topics the influencer has a score on. */
  topicScores: Record<string, number>;
}

/** Collects positional parameters while conditions write their SQL. */
export class SqlParams {
  readonly values: unknown[] = [];

  add(value: unknown, cast: string): string {
    this.values.push(value);
    return `$${this.values.length}::${cast}`;
  }
}

/** Table aliases the predicates refer to. */
export interface SqlScope {
  /** A row of the snapshot's influencer_scores (columns influencer_id, score, reach ...). */
  scores: string;
  /** The influencers row. */
  influencer: string;
  /** The snapshot's topic scores table (a partition, or the parent with a run_id filter added). */
  topicScores: string;
  params: SqlParams;
}

interface ConditionDefinition<C extends ConditionCode> {
  code: C;
  description: string;
  sql(args: ConditionArgs[C], scope: SqlScope): string;
  /** True when the SQL face reads the influencers row (scope.influencer); the others read only the snapshot. */
  readsProfile?: true;
  /** Null when the influencer passes; otherwise why not, in words a person understands. */
  explain(args: ConditionArgs[C], facts: InfluencerFacts): string | null;
  /**
   * The claim's one-message face: a SQL predicate over one row of influencerFactsSql (`f`) with
   * the arguments read from the stored targeting (`a`, a jsonb expression), for a statement that
   * cannot know the campaign before it runs. It may only be stricter than `explain`: true must mean
   * `explain` finds nothing; false (or null) only sends the claim the long way, through `explain`.
   */
  factsSql(a: string, f: string): string;
}

/** A jsonb array of strings as a SQL text[]. */
const jsonTexts = (array: string) => `ARRAY(SELECT jsonb_array_elements_text(${array}))`;

const list = (values: string[]) =>
  values.length <= 5 ? values.join(', ') : `${values.slice(0, 5).join(', ')} and ${values.length - 5} more`;

/** Math.round(x) >= min exactly when x >= min - 0.5: the stored value is compared, the rounded one shown. */
const roundedAtLeast = (value: number, min: number) => value >= min - 0.5;

/** The SQL face compares two reals (the stored column and the argument cast to real): so does this one. */
const realAtLeast = (value: number, min: number) => Math.fround(value) >= Math.fround(min);
const percent = (x: number) => `${Math.round(x * 100)}%`;

export const CONDITIONS: { [C in ConditionCode]: ConditionDefinition<C> } = {
  [ConditionCode.MIN_SCORE]: {
    code: ConditionCode.MIN_SCORE,
    description: 'Influence score at least min (1-100)',
    sql: ({ min }, s) => `${s.scores}.score >= ${s.params.add(min, 'int')}`,
    explain: ({ min }, f) => (f.score !== null && f.score >= min ? null : `score ${f.score} is below ${min}`),
    factsSql: (a, f) => `${f}.score >= (${a} ->> 'min')::numeric`,
  },
  [ConditionCode.MIN_REACH]: {
    code: ConditionCode.MIN_REACH,
    description: 'Reach component at least min (1-100)',
    sql: ({ min }, s) => `${s.scores}.reach >= ${s.params.add(min - 0.5, 'float8')}`,
    explain: ({ min }, f) =>
      f.reach !== null && roundedAtLeast(f.reach, min) ? null : `reach ${Math.round(f.reach ?? 0)} is below ${min}`,
    // The reach as the driver hands it to explain (the real's text, read as a double), compared the same way.
    factsSql: (a, f) => `${f}.reach::text::float8 >= (${a} ->> 'min')::float8 - 0.5`,
  },
  [ConditionCode.MIN_AUDIENCE_QUALITY]: {
    code: ConditionCode.MIN_AUDIENCE_QUALITY,
    description: 'Audience quality (the credible share of the engagement) at least min (0-1)',
    sql: ({ min }, s) => `${s.scores}.audience_quality >= ${s.params.add(min, 'real')}`,
    explain: ({ min }, f) =>
      f.audienceQuality !== null && realAtLeast(f.audienceQuality, min)
        ? null
        : f.audienceQuality === null
          ? `audience quality not measured yet (the current scores predate it); the campaign asks for ${percent(min)}`
          : `audience quality ${percent(f.audienceQuality)} is below ${percent(min)}`,
    // Both sides as doubles: the stored real at least the argument implies it at least the argument rounded to a real.
    factsSql: (a, f) => `${f}.audience_quality::float8 >= (${a} ->> 'min')::float8`,
  },
  [ConditionCode.TOPICS]: {
    code: ConditionCode.TOPICS,
    description: 'A topic score on any of the topics, at least minTopicScore when given',
    sql: ({ topicIds, minTopicScore }, s) =>
      `EXISTS (SELECT 1 FROM ${s.topicScores} ts
               WHERE ts.influencer_id = ${s.scores}.influencer_id AND ts.topic_id = ANY(${s.params.add(topicIds, 'smallint[]')})` +
      (minTopicScore === null ? ')' : ` AND ts.score >= ${s.params.add(minTopicScore, 'int')})`),
    explain: ({ slugs, minTopicScore }, f) => {
      const held = slugs.filter((slug) => f.topicScores[slug] !== undefined);
      if (held.length === 0) return `no topic score on ${list(slugs)}`;
      if (minTopicScore === null) return null;
      const best = held.reduce((a, b) => (f.topicScores[b] > f.topicScores[a] ? b : a));
      return f.topicScores[best] >= minTopicScore ? null : `best topic score ${f.topicScores[best]} (${best}) is below ${minTopicScore}`;
    },
    // "The best held topic score reaches the minimum" is "some held topic score reaches it".
    factsSql: (a, f) =>
      `EXISTS (SELECT 1 FROM jsonb_array_elements_text(${a} -> 'slugs') AS s(slug)
               WHERE ${f}.topics -> s.slug IS NOT NULL
                 AND (jsonb_typeof(${a} -> 'minTopicScore') = 'null' OR (${f}.topics ->> s.slug)::numeric >= (${a} ->> 'minTopicScore')::numeric))`,
  },
  [ConditionCode.COUNTRIES]: {
    code: ConditionCode.COUNTRIES,
    description: 'Lives in one of the countries (ISO 3166-1 alpha-2)',
    readsProfile: true,
    sql: ({ codes }, s) => `${s.influencer}.country = ANY(${s.params.add(codes, 'bpchar[]')})`,
    explain: ({ codes }, f) =>
      f.country !== null && codes.includes(f.country)
        ? null
        : f.country === null
          ? `country not given; the campaign targets ${list(codes)}`
          : `country ${f.country} is not one of ${list(codes)}`,
    // A one-letter value would reach explain padded ("U "): only two-letter values are compared here.
    factsSql: (a, f) => `length(${f}.country) = 2 AND ${f}.country::text = ANY(${jsonTexts(`${a} -> 'codes'`)})`,
  },
  [ConditionCode.LANGUAGES]: {
    code: ConditionCode.LANGUAGES,
    description: 'Speaks one of the languages (ISO 639-1), as their profile says',
    readsProfile: true,
    sql: ({ codes }, s) => `${s.influencer}.language = ANY(${s.params.add(codes, 'text[]')})`,
    explain: ({ codes }, f) =>
      f.language !== null && codes.includes(f.language)
        ? null
        : f.language === null
          ? `language not given; the campaign targets ${list(codes)}`
          : `language ${f.language} is not one of ${list(codes)}`,
    factsSql: (a, f) => `${f}.language::text = ANY(${jsonTexts(`${a} -> 'codes'`)})`,
  },
  [ConditionCode.NETWORKS]: {
    code: ConditionCode.NETWORKS,
    description: 'Has a proven (verified) account on one of the networks',
    sql: ({ networks }, s) =>
      `EXISTS (SELECT 1 FROM social_accounts sa WHERE sa.influencer_id = ${s.scores}.influencer_id AND sa.status = 'VERIFIED' AND sa.network = ANY(${s.params.add(networks, 'network[]')}))`,
    explain: ({ networks }, f) => (networks.some((n) => f.networks.includes(n)) ? null : `no verified account on ${list(networks)}`),
    factsSql: (a, f) => `${f}.networks && ${jsonTexts(`${a} -> 'networks'`)}`,
  },
  [ConditionCode.EXCLUDED_INFLUENCERS]: {
    code: ConditionCode.EXCLUDED_INFLUENCERS,
    description: 'Not one of the listed influencers',
    sql: ({ ids }, s) => `${s.scores}.influencer_id <> ALL(${s.params.add(ids, 'uuid[]')})`,
    explain: ({ ids }, f) => (ids.includes(f.influencerId) ? 'excluded by the campaign' : null),
    factsSql: (a, f) => `NOT (${f}.id::text = ANY(${jsonTexts(`${a} -> 'ids'`)}))`,
  },
};

/** Whether a targeting's SQL reads the influencers row, so a query must join it. */
export function targetingReadsProfile(targeting: Targeting): boolean {
  return targeting.some((c) => CONDITIONS[c.code].readsProfile === true);
}

/** Every condition ANDed, as one SQL predicate ('true' for no conditions). */
export function targetingSql(targeting: Targeting, scope: SqlScope): string {
  if (targeting.length === 0) return 'true';
  return targeting.map((c) => `(${(CONDITIONS[c.code] as ConditionDefinition<typeof c.code>).sql(c.args as never, scope)})`).join(' AND ');
}

/**
 * Every condition of a stored targeting (`targeting`, a jsonb expression) ANDed over one row of
 * influencerFactsSql (`f`), with each condition's factsSql: true only where explainTargeting would
 * find nothing (a scored influencer passing every condition); an unknown condition, or anything
 * but an array, is false.
 */
export function targetingFactsSql(targeting: string, f: string): string {
  const cases = Object.values(CONDITIONS)
    .map((c) => `WHEN '${c.code}' THEN ${(c as ConditionDefinition<ConditionCode>).factsSql(`t.c -> 'args'`, f)}`)
    .join('\n         ');
  return `(${f}.score IS NOT NULL AND jsonb_typeof(${targeting}) = 'array' AND NOT EXISTS (
       SELECT 1 FROM jsonb_array_elements(${targeting}) AS t(c)
       WHERE NOT coalesce(CASE t.c ->> 'code'
         ${cases}
         ELSE false END, false)))`;
}

export interface FailedCondition {
  condition: ConditionCode | 'SCORED';
  message: string;
}

/** Every condition the influencer fails, with the reason; empty when eligible. */
export function explainTargeting(targeting: Targeting, facts: InfluencerFacts): FailedCondition[] {
  if (facts.score === null) {
    return [{ condition: 'SCORED', message: 'not in the current score run yet: scores are computed nightly after opting in' }];
  }
  const failed: FailedCondition[] = [];
  for (const c of targeting) {
    const message = (CONDITIONS[c.code] as ConditionDefinition<typeof c.code>).explain(c.args as never, facts);
    if (message !== null) failed.push({ condition: c.code, message });
  }
  return failed;
}
