import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  buildClientSchema,
  buildSchema,
  getIntrospectionQuery,
  getNamedType,
  isInputObjectType,
  parse,
  validate,
  type GraphQLInputType,
  type GraphQLSchema,
  type IntrospectionQuery,
} from 'graphql';
import { startTestApi, type TestApi } from '../helpers/api';
import { autoDocument, isDenial, keyIdOf, must, type Outcome, type Row } from '../helpers/authorization-matrix';
import { MUTATION_ROWS } from '../helpers/authorization-matrix-mutations';
import { QUERY_ROWS } from '../helpers/authorization-matrix-queries';
import { createScratchDatabase } from '../helpers/database';
import { buildWorld, PRINCIPALS, tenantSnapshot, type PrincipalName, type World } from '../helpers/fixtures';
import { type GraphQLResponse } from '../helpers/graphql';
import { suitePrefix } from '../helpers/worker';

/*
 * The authorization matrix (outcomes and row builders: test/helpers/authorization-matrix.ts; the
 * rows: its -queries and -mutations files). Every operation of the schema must have a row.
 */

/** Operations that may be missing from the schema while their row is already here (added in parallel). */
const MAY_BE_ABSENT = ['eraseMyData'];

/**
 * Operations that take an id but whose ids are not a tenant's: brand B may use brand A's values
 * there and get an answer. Every other operation taking an id (or a claim code) needs objects A
 * and missing, and brand B must get the same nothing for both.
 */
const NOT_TENANT_IDS: Record<string, string> = {
  influencer: 'opted-in influencers are visible to every brand, agency and SEARCH key',
  influencerByHandle: 'opted-in influencers are visible to every brand, agency and SEARCH key',
  eligibleInfluencers: 'excludedInfluencerIds names influencers, visible to every searcher',
  scoreRun: "score runs are the operator's, not a tenant's",
};

/** Every row, in the order the cells run: earlier cells change what later ones find (RESULT). */
const MATRIX: Row[] = [...QUERY_ROWS, ...MUTATION_ROWS];

/** Whether an operation takes an id (an ID anywhere in its arguments) or a claim code. */
function takesAnId(schema: GraphQLSchema, operation: string): boolean {
  const field = schema.getQueryType()?.getFields()[operation] ?? schema.getMutationType()?.getFields()[operation];
  const seen = new Set<string>();
  const hasId = (t: GraphQLInputType): boolean => {
    const named = getNamedType(t);
    if (named.name === 'ID') return true;
    if (!isInputObjectType(named) || seen.has(named.name)) return false;
    seen.add(named.name);
    return Object.values(named.getFields()).some((f) => hasId(f.type));
  };
  return Boolean(field?.args.some((a) => a.name === 'code' || hasId(a.type)));
}

const operationsOf = (schema: GraphQLSchema) => [
  ...Object.keys(schema.getQueryType()?.getFields() ?? {}),
  ...Object.keys(schema.getMutationType()?.getFields() ?? {}),
];

/** Ids and codes each principal must never see in any answer (see forbiddenStrings). */
interface Secrets {
  /** Brand X's campaigns, the offers and claims on them. */
  business: Record<'A' | 'B', string[]>;
  /** Influencer X's offers, claims and codes. */
  influencer: Record<'A' | 'B', string[]>;
  codes: string[];
  /** Every API key: its id and public prefix, by organisation (null: operator keys). */
  keys: Array<{ id: string; organizationId: string | null; strings: string[] }>;
  drafts: string[];
}

async function collectSecrets(w: World): Promise<Secrets> {
  const q = (sql: string, params: unknown[] = []) => w.api.dataSource.query(sql, params);
  const bySide = async (s: 'A' | 'B') => {
    const business: Array<{ v: string }> = await q(
      `SELECT id::text AS v FROM campaigns WHERE brand_id = $1
       UNION ALL SELECT o.id::text FROM offers o JOIN campaigns c ON c.id = o.campaign_id WHERE c.brand_id = $1
       UNION ALL SELECT k.id::text FROM claims k JOIN campaigns c ON c.id = k.campaign_id WHERE c.brand_id = $1`,
      [w[s].brandId],
    );
    const influencer: Array<{ v: string }> = await q(
      `SELECT id::text AS v FROM offers WHERE influencer_id = $1
       UNION ALL SELECT id::text FROM claims WHERE influencer_id = $1 UNION ALL SELECT code FROM claims WHERE influencer_id = $1
       UNION ALL SELECT verification_code FROM social_accounts WHERE influencer_id = $1 AND verification_code IS NOT NULL`,
      [w[s].influencerId],
    );
    return { business: business.map((r) => r.v), influencer: influencer.map((r) => r.v) };
  };
  const [a, b] = await Promise.all([bySide('A'), bySide('B')]);
  const verificationCodes: Array<{ code: string }> = await q(
    `SELECT verification_code AS code FROM social_accounts WHERE verification_code IS NOT NULL`,
  );
  must(verificationCodes.length >= 2, 'no pending link to watch the codes of');
  const keys: Array<{ id: string; prefix: string; organization_id: string | null }> = await q(
    `SELECT id, prefix, organization_id FROM api_keys`,
  );
  return {
    business: { A: a.business, B: b.business },
    influencer: { A: a.influencer, B: b.influencer },
    // Claim codes, and the verification codes of links not proven yet (their influencer's only).
    codes: [...(await q(`SELECT code FROM claims`)).map((r: { code: string }) => r.code), ...verificationCodes.map((r) => r.code)],
    keys: keys.map((k) => ({ id: k.id, organizationId: k.organization_id, strings: [k.id, k.prefix] })),
    drafts: [w.A.campaigns.draft, w.B.campaigns.draft],
  };
}

function forbiddenStrings(s: Secrets, w: World, p: PrincipalName): string[] {
  const ownKey = keyIdOf(w, p);
  const keysOf = (org: string | null) => s.keys.filter((k) => k.organizationId === org && k.id !== ownKey).flatMap((k) => k.strings);
  const allKeys = s.keys.filter((k) => k.id !== ownKey).flatMap((k) => k.strings);
  const tenant = (x: 'A' | 'B') => [w[x].brandId, ...s.business[x], ...keysOf(w[x].brandId)];
  switch (p) {
    case 'brandA':
    case 'agencyForA':
    case 'brandKeyA':
      return [...tenant('B'), ...s.codes, ...keysOf(null)];
    case 'brandB':
      return [...tenant('A'), ...s.codes, ...keysOf(null)];
    case 'searchKeyA':
      // Reads influencers and its own organisation: nothing of the campaigns, and no other key.
      return [...s.business.A, ...tenant('B'), ...s.influencer.A, ...s.influencer.B, ...s.codes, ...allKeys];
    case 'influencerA':
    case 'influencerB': {
      const other = p === 'influencerA' ? 'B' : 'A';
      return [...s.influencer[other], ...allKeys, w.A.brandId, w.B.brandId, ...s.drafts];
    }
    case 'admin':
      return s.codes;
    default:
      return [...tenant('A'), ...tenant('B'), ...s.influencer.A, ...s.influencer.B, ...s.codes, ...allKeys];
  }
}

/** What a principal can tell apart: everything in the answer. */
const normalized = (r: GraphQLResponse) =>
  JSON.stringify({
    status: r.status,
    data: r.data ?? null,
    errors: r.errors?.map(({ message, path, extensions }) => ({ message, path, extensions })),
  });

/** Null when the answer matches the outcome, else what is wrong. */
function mismatch(outcome: Outcome, r: GraphQLResponse, operation: string): string | null {
  const value = (r.data as Record<string, any> | null | undefined)?.[operation];
  const error = r.errors?.[0];
  const got = error ? `${error.extensions?.code}: ${error.message}` : value === null ? 'null' : JSON.stringify(value)?.slice(0, 300);
  if (outcome === 'OK' || outcome === 'RESULT' || outcome === 'NULL' || outcome === 'EMPTY' || outcome.startsWith('=')) {
    if (error) return `expected ${outcome}, got ${got}`;
    if (outcome === 'NULL') return value === null ? null : `expected null, got ${got}`;
    if (outcome === 'EMPTY') return value?.totalCount === 0 && value.edges?.length === 0 ? null : `expected an empty page, got ${got}`;
    if (value === null || value === undefined) return `expected ${outcome}, got null`;
    if (outcome === 'OK' && value.errorCode) return `expected ${outcome}, got ${value.errorCode}`;
    if (outcome.startsWith('=') && value.errorCode !== outcome.slice(1)) return `expected ${outcome}, got ${got}`;
    return null;
  }
  if (error?.extensions?.code !== outcome) return `expected ${outcome}, got ${got}`;
  if (value !== null && value !== undefined) return `denied with ${outcome} but data came back: ${got}`;
  return null;
}

const OUTSIDERS_OF_A: PrincipalName[] = ['anonymous', 'revokedKey', 'connectorKey', 'agencyNoClients', 'brandB'];

describe('authorization matrix: every operation x principal x own, foreign and missing object', () => {
  let database: { url: string; drop: () => Promise<void> };
  let api: TestApi;
  let w: World;
  let live: GraphQLSchema;
  let committed: GraphQLSchema;
  let secrets: Secrets;
  /** Every answer, by operation, principal and object. */
  const answers = new Map<string, GraphQLResponse>();
  let cells = 0;
  let notRun = 0;

  beforeAll(async () => {
    database = await createScratchDatabase('authz');
    api = await startTestApi({ DATABASE_URL: database.url, BULLMQ_PREFIX: suitePrefix('authz') });
    w = await buildWorld(api);
    live = buildClientSchema((await api.client.ok(getIntrospectionQuery())) as IntrospectionQuery);
    committed = buildSchema(readFileSync(path.resolve(__dirname, '../../schema/schema.graphql'), 'utf8'));
    secrets = await collectSecrets(w);
  }, 120_000);
  afterAll(async () => {
    await api?.stop();
    await database?.drop();
  });

  const present = (operation: string) => operationsOf(live).includes(operation);

  it('has one row per operation of the schema, and none for an operation that does not exist', () => {
    const inSchema = new Set([...operationsOf(live), ...operationsOf(committed)]);
    const inMatrix = MATRIX.map((r) => r.operation);
    expect(inMatrix.filter((op, i) => inMatrix.indexOf(op) !== i)).toEqual([]);
    expect([...inSchema].filter((op) => !inMatrix.includes(op)).sort()).toEqual([]);
    expect(inMatrix.filter((op) => !inSchema.has(op) && !MAY_BE_ABSENT.includes(op))).toEqual([]);
  });

  it('has objects A and missing for every operation that takes a tenant id, and valid documents', () => {
    for (const r of MATRIX.filter((r) => present(r.operation))) {
      const document = typeof r.document === 'string' ? r.document : r.document(live);
      expect([r.operation, validate(live, parse(document)).map((e) => e.message)]).toEqual([r.operation, []]);
      if (takesAnId(live, r.operation) && !(r.operation in NOT_TENANT_IDS)) {
        expect([r.operation, Object.keys(r.objects)]).toEqual([r.operation, expect.arrayContaining(['A', 'missing'])]);
      }
    }
  });

  describe.each(MATRIX.map((r) => [r.operation, r] as const))('%s', (operation, r) => {
    it('answers every principal and object as the matrix says', async () => {
      if (!present(operation)) {
        // Only an operation being added in parallel may be absent; the coverage test fails for any other.
        expect(MAY_BE_ABSENT).toContain(operation);
        return;
      }
      const document = typeof r.document === 'string' ? r.document : r.document(live);
      const failures: string[] = [];
      const runCell = async (principal: PrincipalName, object: string) => {
        const expectation = r.expect[principal];
        const outcome = typeof expectation === 'string' ? expectation : expectation[object];
        if (!outcome) return failures.push(`${principal} x ${object}: no expectation`);
        cells++;
        if (outcome === 'ALLOWED_NOT_RUN') return notRun++;
        const vars = await r.objects[object](w);
        const response = await api.client.request(document, vars, w.credentials[principal]);
        answers.set(`${operation}|${principal}|${object}`, response);
        let wrong = mismatch(outcome, response, operation);
        if (!wrong && (outcome === 'OK' || outcome === 'RESULT') && r.check) {
          try {
            r.check((response.data as Record<string, unknown>)[operation], { principal, object, vars, w });
          } catch (error) {
            wrong = (error as Error).message;
          }
        }
        const leaked = forbiddenStrings(secrets, w, principal).filter((s) => response.raw.includes(s));
        if (leaked.length) wrong = `${wrong ?? ''} leaks ${leaked.length} id(s) or code(s) it must not see`.trim();
        if (wrong) failures.push(`${principal} x ${object}: ${wrong}`);
      };
      for (const [principal, expectation] of Object.entries(r.expect)) {
        if (typeof expectation !== 'string') {
          const missing = Object.keys(r.objects).filter((o) => !(o in expectation));
          if (missing.length) failures.push(`${principal}: no expectation for ${missing.join(', ')}`);
        }
      }

      // One cell at a time, in a fixed order, so a failure replays the same way. The outsiders go
      // first, watching that brand A's rows stay exactly as they were.
      const ask = async (principals: PrincipalName[]) => {
        for (const principal of principals) for (const object of Object.keys(r.objects)) await runCell(principal, object);
      };
      const before = await tenantSnapshot(api, w.A.brandId);
      await ask(OUTSIDERS_OF_A);
      if ((await tenantSnapshot(api, w.A.brandId)) !== before) failures.push("the outsiders' requests changed brand A's rows");
      await ask(PRINCIPALS.filter((p) => !OUTSIDERS_OF_A.includes(p)));
      expect(failures).toEqual([]);
    }, 60_000);
  });

  it('answers a denied real object exactly like a random id, so nobody learns what exists', () => {
    const differences: string[] = [];
    for (const r of MATRIX.filter((r) => present(r.operation) && 'missing' in r.objects)) {
      for (const principal of PRINCIPALS) {
        const expectation = r.expect[principal];
        const outcomeOf = (o: string) => (typeof expectation === 'string' ? expectation : expectation[o]);
        for (const object of Object.keys(r.objects).filter((o) => o !== 'missing')) {
          if (!isDenial(outcomeOf(object)) || outcomeOf(object) !== outcomeOf('missing')) continue;
          const real = answers.get(`${r.operation}|${principal}|${object}`);
          const random = answers.get(`${r.operation}|${principal}|missing`);
          if (!real || !random || normalized(real) !== normalized(random)) {
            differences.push(`${r.operation} ${principal} x ${object}: ${real && normalized(real)} vs ${random && normalized(random)}`);
          }
        }
      }
    }
    expect(differences).toEqual([]);
  });

  it("gives brand B nothing for any of brand A's ids, through every entry point that takes one", () => {
    const probed: string[] = [];
    for (const r of MATRIX.filter(
      (r) => present(r.operation) && 'A' in r.objects && 'missing' in r.objects && !(r.operation in NOT_TENANT_IDS),
    )) {
      const expectation = r.expect.brandB;
      const outcome = typeof expectation === 'string' ? expectation : expectation.A;
      expect([r.operation, isDenial(outcome)]).toEqual([r.operation, true]);
      const real = answers.get(`${r.operation}|brandB|A`)!;
      expect([r.operation, normalized(real)]).toEqual([r.operation, normalized(answers.get(`${r.operation}|brandB|missing`)!)]);
      probed.push(r.operation);
    }
    // campaign, offer, claim, claim code, organisation, API key: each has an entry point probed.
    expect(probed).toEqual(
      expect.arrayContaining([
        'campaign',
        'claimOffer',
        'declineOffer',
        'cancelClaim',
        'redeemClaim',
        'organization',
        'revokeApiKey',
        'webhookEndpoints',
        'webhookDeliveries',
      ]),
    );
  });

  it('lets a throwaway influencer C opt out and in again (the cells not run for A and B)', async () => {
    if (!present('optOut')) return;
    const out = await api.client.request(autoDocument(live, 'optOut'), {}, { token: w.influencerC.token });
    expect(mismatch('OK', out, 'optOut')).toBeNull();
    const back = await api.client.request(`mutation { optIn { id optedInAt } }`, {}, { token: w.influencerC.token });
    expect(mismatch('OK', back, 'optIn')).toBeNull();
    expect(back.data?.optIn.id).toBe(w.influencerC.influencerId);
  });

  it('lets a throwaway influencer C erase their own data (the cell not run for A and B)', async () => {
    if (!present('eraseMyData')) return;
    const response = await api.client.request(autoDocument(live, 'eraseMyData'), {}, { token: w.influencerC.token });
    expect(mismatch('OK', response, 'eraseMyData')).toBeNull();
  });

  it('ran every cell of the matrix', () => {
    const expected = MATRIX.filter((r) => present(r.operation)).reduce((n, r) => n + PRINCIPALS.length * Object.keys(r.objects).length, 0);
    expect(cells).toBe(expected);
    console.log(
      `authorization matrix: ${MATRIX.length} operations x ${PRINCIPALS.length} principals: ${cells} cells (${notRun} allowed but not run)`,
    );
  });
});
