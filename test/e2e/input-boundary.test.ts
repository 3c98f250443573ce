import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import {
  buildClientSchema,
  getIntrospectionQuery,
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
  type IntrospectionQuery,
} from 'graphql';
import { ScoreRunTrigger } from '../../src/modules/scoring/score-run.entity';
import { startTestApi, type TestApi } from '../helpers/api';
import { createScratchDatabase } from '../helpers/database';
import { buildWorld, campaignInput, PRINCIPALS, type PrincipalName, type World } from '../helpers/fixtures';
import { LOG_IN, SIGN_UP, uniqueEmail, type GraphQLResponse } from '../helpers/graphql';
import { forgedCursor, hostileString } from '../helpers/hostile';
import { suitePrefix } from '../helpers/worker';

/*
 * The input boundary, tested from the schema: every operation, as a principal allowed to call it,
 * gets hostile strings in every String and ID argument and in every string of its input objects
 * (as variables and as literals written in the document), and forged cursors in every `after`.
 * No answer may be a 5xx or an INTERNAL_SERVER_ERROR; a NUL anywhere is refused as BAD_USER_INPUT
 * naming the field; a forged cursor is refused as not a cursor the list gave out.
 */

const NOT_A_CURSOR = 'after is not a cursor this list gave out';

/**
 * Who sends each operation: a principal the authorization matrix allows to call it. Every operation
 * of the schema needs a row (the first test fails otherwise); null: nothing to send (no arguments)
 * and not to be run (destructive).
 */
const CALLER: Record<string, PrincipalName | null> = {
  apiKeys: 'brandA',
  campaign: 'brandA',
  campaigns: 'brandA',
  currentApiKey: 'brandKeyA',
  eligibility: 'brandA',
  eligibleInfluencers: 'brandA',
  influencer: 'brandA',
  influencerByHandle: 'brandA',
  me: 'brandA',
  myOffers: 'influencerA',
  myClaims: 'influencerA',
  notifications: 'influencerA',
  unreadNotificationCount: 'influencerA',
  notificationPreferences: 'influencerA',
  markNotificationsRead: 'influencerA',
  updateNotificationPreferences: 'influencerA',
  organization: 'brandA',
  scoreRun: 'admin',
  scoreRuns: 'admin',
  queueStates: 'admin',
  topics: 'anonymous',
  addAgencyClient: 'brandA',
  cancelClaim: 'influencerA',
  claimOffer: 'influencerA',
  connectSocialAccount: 'influencerA',
  createApiKey: 'brandA',
  createCampaign: 'brandA',
  declineOffer: 'influencerA',
  endCampaign: 'brandA',
  eraseMyData: null,
  exportMyData: 'influencerA',
  updateMyProfile: 'influencerA',
  disconnectSocialAccount: 'influencerA',
  optIn: 'influencerA',
  optOut: null,
  ingestActivity: 'connectorKey',
  launchCampaign: 'brandA',
  logIn: 'anonymous',
  pauseCampaign: 'brandA',
  recomputeScores: 'admin',
  redeemClaim: 'brandA',
  removeAgencyClient: 'brandA',
  revokeApiKey: 'brandA',
  signUp: 'anonymous',
  updateBrandSettings: 'brandA',
  updateCampaign: 'brandA',
  verifySocialAccount: 'admin',
  webhookEndpoints: 'brandA',
  webhookDeliveries: 'brandA',
  createWebhookEndpoint: 'brandA',
  updateWebhookEndpoint: 'brandA',
  deleteWebhookEndpoint: 'brandA',
};

/** A String or ID somewhere in an operation's arguments. */
interface Leaf {
  /** Argument name, then input fields and list indexes. */
  path: Array<string | number>;
  /** How a refusal names it: relative to the argument, and without the argument when it is `input`. */
  field: string;
  /** A field of one item of a batch (`@InputText('item')`): checked, and rejected, item by item. */
  item: boolean;
}

type Operation = { kind: 'query' | 'mutation'; field: GraphQLField<unknown, unknown> };

const keyOf = (path: Array<string | number>) => path.join('.');

function operationsOf(schema: GraphQLSchema): Operation[] {
  return [
    ...Object.values(schema.getQueryType()?.getFields() ?? {}).map((field) => ({ kind: 'query' as const, field })),
    ...Object.values(schema.getMutationType()?.getFields() ?? {}).map((field) => ({ kind: 'mutation' as const, field })),
  ];
}

/**
 * The input types whose text fields are `@InputText('item')` (introspection does not carry a
 * field's extensions): one bad item of a batch is rejected on its own, not refused with the batch.
 */
const BATCH_ITEMS = ['IngestPostInput', 'IngestInteractionInput', 'IngestAccountInput'];

/** Every String and ID leaf of an operation's arguments (one item of each list), from the schema. */
function leavesOf(op: Operation): Leaf[] {
  const leaves: Leaf[] = [];
  const walk = (type: GraphQLInputType, path: Array<string | number>, field: string, seen: string[], item: boolean) => {
    const nullable = getNullableType(type);
    if (isListType(nullable)) return walk(nullable.ofType, [...path, 0], `${field}.0`, seen, item);
    const named = getNamedType(type);
    if (named.name === 'String' || named.name === 'ID') leaves.push({ path, field, item });
    if (isInputObjectType(named) && !seen.includes(named.name)) {
      for (const f of Object.values(named.getFields())) {
        const itemField = BATCH_ITEMS.includes(named.name);
        walk(f.type, [...path, f.name], field ? `${field}.${f.name}` : f.name, [...seen, named.name], itemField);
      }
    }
  };
  for (const arg of op.field.args) {
    walk(arg.type, [arg.name], arg.name === 'input' && isInputObjectType(getNamedType(arg.type)) ? '' : arg.name, [], false);
  }
  return leaves;
}

interface Fill {
  w: World;
  topic: string;
  /** A draft campaign of brand A: updateCampaign's strings reach the UPDATE. */
  draftId: string;
}

/** An ordinary value for a leaf, by its name: what a well-behaved client sends. */
function ordinary(op: string, name: string, type: GraphQLInputType, fill: Fill): unknown {
  const named = getNamedType(type);
  if (isEnumType(named)) return named.getValues()[0].value;
  switch (named.name) {
    case 'ID':
      if (op === 'webhookDeliveries' && name === 'endpointId') return fill.w.A.webhookEndpointId;
      return op === 'updateCampaign' && name === 'id' ? fill.draftId : randomUUID();
    case 'Int':
      return name === 'first' ? 5 : name === 'days' ? 30 : name === 'valueCents' ? 2500 : 1;
    case 'Float':
      return 1;
    case 'Boolean':
      return false;
    case 'DateTimeISO':
      return name === 'endsAt' ? new Date(Date.now() + 30 * 86_400_000).toISOString() : '2020-01-01T00:00:00.000Z';
  }
  if (/email/i.test(name)) return uniqueEmail('boundary');
  if (/password/i.test(name)) return 'correct horse battery';
  if (/countr/i.test(name)) return 'FR';
  if (/^languages?$/.test(name)) return 'fr';
  if (name === 'currency') return 'EUR';
  if (name === 'network') return 'X';
  if (name === 'kind') return 'LIKE';
  if (name === 'date') return fill.w.scoreRunDate;
  if (/At$/.test(name)) return new Date(Date.now() - 86_400_000).toISOString();
  if (/topic|slug/i.test(name)) return fill.topic;
  if (/handle/i.test(name)) return `boundary_${randomUUID().slice(0, 8)}`;
  if (/externalId/i.test(name)) return `ext-${randomUUID()}`;
  if (name === 'idempotencyKey') return randomUUID();
  if (name === 'code') return 'ABCD-EFGH-IJKL';
  if (/description|bio/.test(name)) return 'Two lines,\nand a\ttab';
  return 'Boundary test';
}

/**
 * The arguments of one call: the required ones with ordinary values, plus whatever leads to a
 * leaf given a value in `values` (by path).
 */
function argumentsFor(op: Operation, values: Map<string, string>, fill: Fill): Record<string, unknown> {
  const wanted = (path: Array<string | number>) => {
    const key = keyOf(path);
    return [...values.keys()].some((k) => k === key || k.startsWith(`${key}.`));
  };
  const build = (type: GraphQLInputType, name: string, path: Array<string | number>): unknown => {
    const key = keyOf(path);
    if (values.has(key)) return values.get(key);
    const nullable = getNullableType(type);
    if (isListType(nullable)) return [build(nullable.ofType, name, [...path, 0])];
    if (isInputObjectType(nullable)) {
      const value: Record<string, unknown> = {};
      for (const f of Object.values(nullable.getFields())) {
        const required = isNonNullType(f.type) && f.defaultValue === undefined;
        if (required || wanted([...path, f.name])) value[f.name] = build(f.type, f.name, [...path, f.name]);
      }
      return value;
    }
    return ordinary(op.field.name, name, type, fill);
  };
  const args: Record<string, unknown> = {};
  for (const arg of op.field.args) {
    const required = isNonNullType(arg.type) && arg.defaultValue === undefined;
    if (required || wanted([arg.name])) args[arg.name] = build(arg.type, arg.name, [arg.name]);
  }
  return args;
}

/** A value written as a GraphQL literal (a string in JSON's escapes, which GraphQL shares). */
function literal(value: unknown, type: GraphQLInputType): string {
  if (value === null || value === undefined) return 'null';
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    return `[${(Array.isArray(value) ? value : [value]).map((v) => literal(v, nullable.ofType)).join(', ')}]`;
  }
  if (isInputObjectType(nullable)) {
    const fields = nullable.getFields();
    return `{ ${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k}: ${literal(v, fields[k].type)}`)
      .join(', ')} }`;
  }
  if (isEnumType(nullable)) return String(value);
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** The document and variables of one call, its arguments as variables or written inline. */
function request(op: Operation, args: Record<string, unknown>, inline: boolean): { query: string; variables: Record<string, unknown> } {
  const used = op.field.args.filter((a) => a.name in args);
  const selection = isLeafType(getNamedType(op.field.type)) ? '' : ' { __typename }';
  if (inline) {
    const written = used.map((a) => `${a.name}: ${literal(args[a.name], a.type)}`).join(', ');
    return { query: `${op.kind} { ${op.field.name}${written ? `(${written})` : ''}${selection} }`, variables: {} };
  }
  const definitions = used.map((a) => `$${a.name}: ${String(a.type)}`).join(', ');
  const passed = used.map((a) => `${a.name}: $${a.name}`).join(', ');
  return {
    query: `${op.kind}${definitions ? ` (${definitions})` : ''} { ${op.field.name}${passed ? `(${passed})` : ''}${selection} }`,
    variables: args,
  };
}

/** Null when the answer is not a server failure, else what went wrong. */
function serverFailure(r: GraphQLResponse): string | null {
  if (r.status >= 500) return `HTTP ${r.status}: ${r.raw.slice(0, 300)}`;
  const internal = r.errors?.find((e) => e.extensions?.code === 'INTERNAL_SERVER_ERROR');
  return internal ? `INTERNAL_SERVER_ERROR at ${internal.path?.join('.') ?? 'the request'}` : null;
}

const shortly = (value: unknown) => JSON.stringify(value)?.slice(0, 200);

describe('the input boundary: hostile strings and forged cursors in every argument of the schema', () => {
  let database: { url: string; drop: () => Promise<void> };
  let api: TestApi;
  let w: World;
  let fill: Fill;
  let schema: GraphQLSchema;
  let operations: Operation[];

  beforeAll(async () => {
    database = await createScratchDatabase('boundary');
    api = await startTestApi({ DATABASE_URL: database.url, BULLMQ_PREFIX: suitePrefix('boundary') });
    w = await buildWorld(api);
    // A second run, so that the runs list has a second page.
    const earlier = new Date(Date.parse(w.scoreRunDate) - 86_400_000).toISOString().slice(0, 10);
    await api.services.scoring.requestRun(earlier, ScoreRunTrigger.ADMIN);
    const { topics } = await api.client.ok(`{ topics { slug } }`);
    const { createCampaign } = await api.client.ok(
      `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { ... on Campaign { id } } }`,
      { input: campaignInput('boundary draft') },
      w.credentials.brandA,
    );
    fill = { w, topic: topics[0].slug, draftId: createCampaign.id };
    schema = buildClientSchema((await api.client.ok(getIntrospectionQuery())) as IntrospectionQuery);
    operations = operationsOf(schema);
  }, 120_000);
  afterAll(async () => {
    await api?.stop();
    await database?.drop();
  });

  const send = (op: Operation, args: Record<string, unknown>, inline: boolean) => {
    const { query, variables } = request(op, args, inline);
    return api.client.request(query, variables, w.credentials[CALLER[op.field.name]!]);
  };
  const callable = () => operations.filter((op) => CALLER[op.field.name]);

  it('has a caller for every operation of the schema, each one a known principal', () => {
    const names = operations.map((op) => op.field.name);
    expect(names.filter((n) => !(n in CALLER))).toEqual([]);
    expect(Object.keys(CALLER).filter((n) => !names.includes(n))).toEqual([]);
    for (const caller of Object.values(CALLER)) if (caller) expect(PRINCIPALS).toContain(caller);
  });

  it('answers every operation called with ordinary values, so the hostile calls below go as deep as they can', async () => {
    const failures: string[] = [];
    for (const op of callable()) {
      for (const inline of [false, true]) {
        const response = await send(op, argumentsFor(op, new Map(), fill), inline);
        const refused = response.status === 400 || response.errors?.[0]?.extensions?.code === 'BAD_USER_INPUT';
        const failure = serverFailure(response) ?? (refused ? `refused: ${response.raw.slice(0, 300)}` : null);
        if (failure) failures.push(`${op.field.name}${inline ? ' (inline)' : ''}: ${failure}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('refuses a NUL in every String and ID, sent or written, as BAD_USER_INPUT naming the field (an item of a batch: that item)', async () => {
    const failures: string[] = [];
    let leaves = 0;
    let items = 0;
    for (const op of callable()) {
      for (const leaf of leavesOf(op)) {
        leaves++;
        for (const inline of [false, true]) {
          const response = await send(op, argumentsFor(op, new Map([[keyOf(leaf.path), 'a\u0000b']]), fill), inline);
          if (leaf.item) {
            // The batch is taken and the item rejected on its own (checked in detail below).
            items++;
            if (response.status !== 200 || response.errors)
              failures.push(`${op.field.name} ${leaf.field}: ${response.status} ${shortly(response.errors)}`);
            continue;
          }
          const error = response.errors?.[0];
          const named = (error?.extensions?.fields ?? []).map((f: { field: string }) => f.field);
          if (response.status !== 400 || error?.extensions?.code !== 'BAD_USER_INPUT' || !named.includes(leaf.field)) {
            failures.push(`${op.field.name} ${leaf.field}${inline ? ' (inline)' : ''}: ${response.status} ${shortly(response.errors)}`);
          }
          if (response.data) failures.push(`${op.field.name} ${leaf.field}: a resolver ran`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(leaves).toBeGreaterThan(50);
    expect(items).toBeGreaterThan(20);
  });

  it('rejects only the item whose text is broken, with the reason, and takes the rest of the batch', async () => {
    const INGEST = `mutation($input: IngestActivityInput!) {
      ingestActivity(input: $input) { ... on IngestReport { accepted rejected rejections { list index code reason } } }
    }`;
    const stamp = randomUUID().slice(0, 8);
    const post = (externalId: string, authorHandle: string) => ({
      externalId,
      network: 'X',
      authorHandle,
      topics: [],
      postedAt: '2026-11-20T10:00:00Z',
    });
    const account = (handle: string, bio: string) => ({
      network: 'X',
      handle,
      followers: 1,
      following: 1,
      posts: 1,
      createdAt: '2020-01-01T00:00:00Z',
      verified: false,
      bio,
    });
    const r = await api.client.ok(
      INGEST,
      {
        input: {
          posts: [post(`ok-${stamp}`, 'someone'), post(`nul-${stamp}`, 'some\u0000one'), post(`half-${stamp}\ud800`, 'someone')],
          accounts: [account(`bio-${stamp}`, 'line one\nline two\ttabbed'), account(`bad-${stamp}`, 'bell \u0007')],
        },
      },
      w.credentials.connectorKey,
    );
    expect(r.ingestActivity).toMatchObject({
      accepted: 2,
      rejected: 3,
      rejections: [
        { list: 'POSTS', index: 1, code: 'MALFORMED_ITEM', reason: 'authorHandle must not contain control characters' },
        { list: 'POSTS', index: 2, code: 'MALFORMED_ITEM', reason: expect.stringMatching(/^externalId must be well-formed Unicode/) },
        {
          list: 'ACCOUNTS',
          index: 1,
          code: 'MALFORMED_ITEM',
          reason: 'bio must not contain control characters other than newline and tab',
        },
      ],
    });
  });

  it('answers hostile strings in any String or ID of any operation without a server failure', async () => {
    const withLeaves = callable()
      .map((op) => ({ op, leaves: leavesOf(op) }))
      .filter((o) => o.leaves.length);
    const calls = fc.constantFrom(...withLeaves).chain(({ op, leaves }) =>
      fc.tuple(
        fc.constant(op),
        fc.uniqueArray(fc.tuple(fc.constantFrom(...leaves), hostileString), {
          minLength: 1,
          maxLength: Math.min(3, leaves.length),
          selector: ([leaf]) => keyOf(leaf.path),
        }),
        fc.boolean(),
      ),
    );
    const codes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(calls, async ([op, hostile, inline]) => {
        const args = argumentsFor(op, new Map(hostile.map(([leaf, value]) => [keyOf(leaf.path), value])), fill);
        const response = await send(op, args, inline);
        const code = String(response.errors?.[0]?.extensions?.code ?? 'OK');
        codes.set(code, (codes.get(code) ?? 0) + 1);
        const failure = serverFailure(response);
        if (failure) throw new Error(`${op.field.name}${inline ? ' (inline)' : ''} with ${shortly(hostile)}: ${failure}`);
      }),
      { numRuns: 500, seed: 20_260_112, endOnFailure: true },
    );
    // Both refusals and answers were seen: the hostile strings were not all stopped at the door.
    expect(codes.get('BAD_USER_INPUT')).toBeGreaterThan(0);
    expect([...codes.keys()].filter((c) => c !== 'BAD_USER_INPUT').length).toBeGreaterThan(0);
  }, 120_000);

  it('answers forged cursors in every `after` with a page or with "not a cursor this list gave out", never a failure', async () => {
    const lists = callable().filter((op) => op.field.args.some((a) => a.name === 'after'));
    expect(lists.map((op) => op.field.name).sort()).toEqual([
      'campaigns',
      'eligibleInfluencers',
      'myClaims',
      'myOffers',
      'notifications',
      'scoreRuns',
      'webhookDeliveries',
    ]);
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...lists), forgedCursor, fc.boolean(), async (op, after, inline) => {
        const response = await send(op, { ...argumentsFor(op, new Map(), fill), after }, inline);
        const failure = serverFailure(response);
        if (failure) throw new Error(`${op.field.name} after ${shortly(after)}: ${failure}`);
        const error = response.errors?.[0];
        if (!error) return;
        refused++;
        // GraphQL's lexer refuses a lone surrogate written in the document; control characters and
        // broken Unicode sent as a variable are the boundary's to refuse, before the list reads the cursor.
        if (inline && error.extensions?.code === 'GRAPHQL_PARSE_FAILED') return;
        expect(error.extensions?.code).toBe('BAD_USER_INPUT');
        if (error.message !== NOT_A_CURSOR) expect(error.extensions?.fields?.[0]?.field).toBe('after');
      }),
      { numRuns: 300, seed: 20_260_112, endOnFailure: true },
    );
    expect(refused).toBeGreaterThan(200);
  }, 120_000);

  // ----- what a client sees -----

  const refusedFields = (r: GraphQLResponse) => {
    expect(r.status).toBe(400);
    expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(r.data).toBeUndefined();
    return r.errors![0].extensions!.fields as Array<{ field: string; messages: string[] }>;
  };

  it.each([
    ['a NUL', 'ann\u0000@example.com', 'email must not contain control characters'],
    ['a zero-width space', 'ann\u200b@example.com', 'email must not contain invisible, bidirectional or zero-width characters'],
    ['a right-to-left override', '\u202eann@example.com', 'email must not contain invisible, bidirectional or zero-width characters'],
    ['half of a surrogate pair', 'ann\ud800@example.com', 'email must be well-formed Unicode text (it holds half of a surrogate pair)'],
  ])('refuses logIn and signUp with %s in the email, naming the field', async (_what, email, message) => {
    const logIn = await api.client.request(LOG_IN, { input: { email, password: 'correct horse battery' } });
    expect(refusedFields(logIn)).toEqual([{ field: 'email', messages: [message] }]);
    expect(logIn.errors![0].message).toBe(`Invalid input: ${message}`);
    const signUp = await api.client.request(SIGN_UP, {
      input: { email, password: 'correct horse battery', role: 'INFLUENCER', name: 'Ann' },
    });
    expect(refusedFields(signUp)).toEqual([{ field: 'email', messages: [message] }]);
    // Written in the document rather than sent as a variable: the same answer.
    const inline = await api.client.request(
      `mutation { logIn(input: { email: ${JSON.stringify(email)}, password: "correct horse battery" }) { __typename } }`,
    );
    if (!email.includes('\ud800')) expect(refusedFields(inline)).toEqual([{ field: 'email', messages: [message] }]);
    // GraphQL's own lexer refuses an escaped lone surrogate before anything else.
    else expect(inline.status).toBe(400);
  });

  it('normalises emails: surrounding spaces and capitals reach the same account', async () => {
    const local = `mixed-${randomUUID().slice(0, 8)}`;
    const signUp = await api.client.ok(SIGN_UP, {
      input: { email: `  ${local.toUpperCase()}@Example.COM\t`, password: 'correct horse battery', role: 'INFLUENCER', name: 'Mixed' },
    });
    expect(signUp.signUp.user.email).toBe(`${local}@example.com`);
    const logIn = await api.client.ok(LOG_IN, { input: { email: `${local}@EXAMPLE.com `, password: 'correct horse battery' } });
    expect(logIn.logIn).toMatchObject({ __typename: 'AuthPayload', user: { id: signUp.signUp.user.id } });
  });

  it('takes newlines and tabs in free text only, and names every field at fault at once', async () => {
    const CREATE = `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { __typename ... on Campaign { perk { description } } } }`;
    const description = 'Line one\r\nline two\n\tindented';
    const created = await api.client.ok(
      CREATE,
      { input: campaignInput('free text', { perk: { title: 'Perk', kind: 'PRODUCT', valueCents: 100, currency: 'EUR', description } }) },
      w.credentials.brandA,
    );
    expect(created.createCampaign.perk.description).toBe(description);
    const refused = await api.client.request(
      CREATE,
      {
        input: campaignInput('two\nlines', {
          perk: { title: 'Perk', kind: 'PRODUCT', valueCents: 100, currency: 'EUR', description: 'bell\u0007' },
        }),
      },
      w.credentials.brandA,
    );
    expect(refusedFields(refused)).toEqual([
      { field: 'name', messages: ['name must not contain control characters'] },
      { field: 'perk.description', messages: ['perk.description must not contain control characters other than newline and tab'] },
    ]);
  });

  it('checks strings in fragments and in the defaults of variables, on every request of a document seen before', async () => {
    const document = `query($h: String = "x\\u0000") { ...F } fragment F on Query { influencerByHandle(handle: $h, network: X) { id } }`;
    // The same document again and again: its arguments are found once, the values of each request checked.
    for (const h of [undefined, 'clean', 'y\u0007', undefined]) {
      const response = await api.client.request(document, h === undefined ? {} : { h }, w.credentials.brandA);
      if (h === 'clean') expect(response.errors?.[0]?.extensions?.code).not.toBe('BAD_USER_INPUT');
      else expect(refusedFields(response)).toEqual([{ field: 'handle', messages: ['handle must not contain control characters'] }]);
    }
  });

  const LISTS: Array<{ name: string; who: () => PrincipalName; document: string }> = [
    {
      name: 'eligibleInfluencers',
      who: () => 'brandA',
      document: `query($after: String) { eligibleInfluencers(first: 1, after: $after) { edges { cursor node { id } } pageInfo { endCursor hasPreviousPage } } }`,
    },
    {
      name: 'myOffers',
      who: () => 'influencerA',
      document: `query($after: String) { myOffers(first: 1, after: $after) { edges { cursor node { id } } pageInfo { endCursor hasPreviousPage } } }`,
    },
    {
      name: 'myClaims',
      who: () => 'influencerA',
      document: `query($after: String) { myClaims(first: 1, after: $after) { edges { cursor node { id } } pageInfo { endCursor hasPreviousPage } } }`,
    },
    {
      name: 'notifications',
      who: () => 'influencerA',
      document: `query($after: String) { notifications(first: 1, after: $after) { edges { cursor node { id } } pageInfo { endCursor hasPreviousPage } } }`,
    },
    {
      name: 'campaigns',
      who: () => 'brandA',
      document: `query($after: String) { campaigns(first: 1, after: $after) { edges { cursor node { id } } pageInfo { endCursor hasPreviousPage } } }`,
    },
    {
      name: 'scoreRuns',
      who: () => 'admin',
      document: `query($after: String) { scoreRuns(first: 1, after: $after) { edges { cursor node { id } } pageInfo { endCursor hasPreviousPage } } }`,
    },
  ];
  const forge = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');
  const id = '7c9e6679-7425-40de-944b-e07fc1b99a7b';

  it.each(LISTS.map((l) => [l.name, l] as const))('%s refuses forged cursors and follows a real one', async (name, list) => {
    const ask = (after?: string) => api.client.request(list.document, { after }, w.credentials[list.who()]);
    for (const after of [
      forge([1e300, id]),
      forge(['2024-02-30T00:00:00.000Z', id]),
      forge(['NaN', id]),
      forge([50, 'not-a-uuid']),
      forge(['2024-01-01', 1.5]),
      forge([{ $gt: 0 }, [id]]),
      forge(Array.from({ length: 10_000 }, () => 1)),
      forge('2024-01-01'),
      'bm90IGpzb24',
    ]) {
      const response = await ask(after);
      expect([after, response.status, response.errors?.[0]?.message, response.errors?.[0]?.extensions?.code]).toEqual([
        after,
        200,
        NOT_A_CURSOR,
        'BAD_USER_INPUT',
      ]);
    }
    const first = await ask();
    expect(first.errors).toBeUndefined();
    const page = (first.data as any)[name];
    expect(page.edges).toHaveLength(1);
    const next = await ask(page.pageInfo.endCursor);
    expect(next.errors).toBeUndefined();
    const second = (next.data as any)[name];
    expect(second.edges).toHaveLength(1);
    expect(second.edges[0].node.id).not.toBe(page.edges[0].node.id);
    expect(second.pageInfo.hasPreviousPage).toBe(true);
  });
});
