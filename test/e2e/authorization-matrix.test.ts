import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  buildClientSchema,
  buildSchema,
  getIntrospectionQuery,
  getNamedType,
  isInputObjectType,
  isObjectType,
  isUnionType,
  parse,
  validate,
  type GraphQLInputType,
  type GraphQLSchema,
  type IntrospectionQuery,
} from 'graphql';
import { newVerificationCode } from '../../src/modules/influencers/verification-code';
import { startTestApi, type TestApi } from '../helpers/api';
import { createScratchDatabase } from '../helpers/database';
import {
  buildWorld,
  campaignInput,
  PRINCIPALS,
  socialAccountInput,
  tenantSnapshot,
  type PrincipalName,
  type World,
} from '../helpers/fixtures';
import { signUp, uniqueEmail, type GraphQLResponse } from '../helpers/graphql';
import { suitePrefix } from '../helpers/worker';

/*
 * The authorization matrix: every query and mutation of the schema x every principal x own, foreign
 * and missing objects. A cell expects one outcome:
 *   OK        allowed: the success type (or a value; NULL: allowed, and null)
 *   RESULT    allowed: the success type or a typed business failure, depending on what earlier
 *             cells did to the object (ending an ended campaign, redeeming a redeemed code)
 *   =CODE     allowed as far as authorization goes, answered by a typed business failure
 *   EMPTY     a list filtered by someone else's id: an empty page with totalCount 0
 *   UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, BAD_USER_INPUT   a thrown error with that code, and no data
 *   ALLOWED_NOT_RUN   allowed, but destructive for a principal the rest of the matrix needs
 * On top of each cell: no response carries an id or code the principal must not learn (see
 * `forbiddenStrings`); a NOT_FOUND (or other denial) for a real object reads exactly like the
 * principal's answer for a random id; and the outsiders' cells (anonymous, revoked key, connector
 * key, the agency without clients, brand B) leave every row of brand A as it was.
 */

type Outcome =
  'OK' | 'NULL' | 'RESULT' | 'EMPTY' | 'ALLOWED_NOT_RUN' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'BAD_USER_INPUT' | `=${string}`;
type Vars = Record<string, unknown>;
type Builder = (w: World) => Vars | Promise<Vars>;
interface Cell {
  principal: PrincipalName;
  object: string;
  vars: Vars;
  w: World;
}
interface Row<O extends string = string> {
  operation: string;
  document: string | ((schema: GraphQLSchema) => string);
  objects: Record<O, Builder>;
  /** Per principal: one outcome for every object, or one per object (checked complete at run time). */
  expect: Record<PrincipalName, Outcome | Record<string, Outcome>>;
  /** Extra checks on an allowed answer (the operation's field); throw to fail the cell. */
  check?: (value: any, cell: Cell) => void;
}
const row = <O extends string>(r: Row<O>): Row => r as unknown as Row;

const U: Outcome = 'UNAUTHENTICATED';
const F: Outcome = 'FORBIDDEN';
const N: Outcome = 'NOT_FOUND';
const BAD: Outcome = 'BAD_USER_INPUT';
const OK: Outcome = 'OK';
const RES: Outcome = 'RESULT';
const NUL: Outcome = 'NULL';
const EMPTY: Outcome = 'EMPTY';
const typed = (code: string): Outcome => `=${code}`;
/** Outcomes over objects A, B and missing: `ok` for the sides named, NOT_FOUND for the rest. */
const sides = (which: 'A' | 'B' | 'AB', ok: Outcome = OK) => ({
  A: which.includes('A') ? ok : N,
  B: which.includes('B') ? ok : N,
  missing: N,
});
const DENIALS = new Set<Outcome>([U, F, N, BAD, NUL, EMPTY]);
const isDenial = (o: Outcome) => DENIALS.has(o) || o === typed('INVALID_CODE');

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

/** A new PENDING link of the influencer (a random handle), for disconnectSocialAccount. */
const freshLink = async (w: World, influencerId: string) => {
  const [link] = await w.api.dataSource.query(
    `INSERT INTO social_accounts (influencer_id, network, handle, followers, following, account_created_at, status, verification_code)
     VALUES ($1, 'TWITCH', $2, 10, 10, '2020-01-01', 'PENDING', $3) RETURNING id`,
    [influencerId, `matrix_${randomBytes(5).toString('hex')}`, newVerificationCode()],
  );
  return { id: link.id as string };
};

/** A code in the shape of a real one (XXXX-XXXX-...-XX) that names no claim. */
const randomCode = () =>
  randomBytes(13)
    .toString('hex')
    .toUpperCase()
    .match(/.{1,4}/g)!
    .join('-');
const NO_OBJECT = { '-': () => ({}) };
const must = (condition: unknown, message: string) => {
  if (!condition) throw new Error(message);
};
/** The brands each principal manages campaigns of (admin: all). */
const managedBrands = (w: World, p: PrincipalName): string[] | 'all' =>
  p === 'admin' ? 'all' : p === 'brandA' || p === 'agencyForA' || p === 'brandKeyA' ? [w.A.brandId] : p === 'brandB' ? [w.B.brandId] : [];
const organizationOf = (w: World, p: PrincipalName): string | null | undefined =>
  ({ brandA: w.A.brandId, brandB: w.B.brandId, agencyForA: w.agencyForAId, agencyNoClients: w.agencyNoClientsId, admin: null })[
    p as string
  ];
const keyIdOf = (w: World, p: PrincipalName) =>
  ({ connectorKey: w.connectorKeyId, brandKeyA: w.brandKeyAId, searchKeyA: w.searchKeyAId, revokedKey: w.revokedKeyId })[p as string];
/** Up to three of an influencer's notification ids (the world's matches wrote their OFFER_NEW). */
const notificationIds = async (w: World, influencerId: string): Promise<string[]> =>
  (await w.api.dataSource.query(`SELECT id FROM notifications WHERE influencer_id = $1 ORDER BY id LIMIT 3`, [influencerId])).map(
    (r: { id: string }) => r.id,
  );
const influencerSide = (p: PrincipalName) => (p === 'influencerA' ? 'A' : p === 'influencerB' ? 'B' : null);

const TRANSITION = (op: string) =>
  `mutation($id: ID!) { ${op}(id: $id) { __typename ... on Campaign { id status } ... on ErrorResult { errorCode } } }`;
const transitionCheck = (value: any, { vars }: Cell) => {
  if (value.__typename === 'Campaign') must(value.id === vars.id, 'another campaign came back');
};
const campaignObjects = (pick: (s: World['A']) => string) => ({
  A: (w: World) => ({ id: pick(w.A) }),
  B: (w: World) => ({ id: pick(w.B) }),
  missing: () => ({ id: randomUUID() }),
});
/** Who manages a campaign: its brand's members and keys, the agency it granted, operators. */
const CAMPAIGN_MANAGERS = (ok: Outcome) =>
  ({
    anonymous: U,
    revokedKey: U,
    connectorKey: F,
    agencyNoClients: N,
    brandB: sides('B', ok),
    influencerA: F,
    influencerB: F,
    brandA: sides('A', ok),
    agencyForA: sides('A', ok),
    brandKeyA: sides('A', ok),
    searchKeyA: F,
    admin: sides('AB', ok),
  }) as const;
const EVERYONE = (ok: Outcome) =>
  Object.fromEntries(PRINCIPALS.map((p) => [p, p === 'revokedKey' ? U : ok])) as Record<PrincipalName, Outcome>;
/** The principals named get their outcomes; anonymous callers and the revoked key UNAUTHENTICATED; everyone else `others`. */
const ONLY = (allowed: Partial<Record<PrincipalName, Outcome | Record<string, Outcome>>>, others: Outcome = F) =>
  Object.fromEntries(PRINCIPALS.map((p) => [p, allowed[p] ?? (p === 'anonymous' || p === 'revokedKey' ? U : others)])) as Record<
    PrincipalName,
    Outcome | Record<string, Outcome>
  >;

/** Webhook endpoints are managed by the members of their organisation and by operators; API keys and influencers have no say. */
const WEBHOOK_MANAGERS = ONLY({ agencyNoClients: N, agencyForA: N, brandB: sides('B'), brandA: sides('A'), admin: sides('AB') });
const webhookEndpointObjects = {
  A: (w: World) => ({ id: w.A.webhookEndpointId }),
  B: (w: World) => ({ id: w.B.webhookEndpointId }),
  missing: () => ({ id: randomUUID() }),
};
/** A new endpoint of the brand for each cell (for deleteWebhookEndpoint). */
const freshWebhookEndpoint = async (w: World, brandId: string) => {
  const [row] = await w.api.dataSource.query(
    `INSERT INTO webhook_endpoints (organization_id, url, events, secret) VALUES ($1, 'https://93.184.215.14/x', '{claim.created}', $2) RETURNING id`,
    [brandId, `whsec_${randomBytes(32).toString('base64url')}`],
  );
  return { id: row.id as string };
};

const MATRIX: Row[] = [
  row({
    operation: 'webhookEndpoints',
    document: `query($id: ID!) { webhookEndpoints(organizationId: $id) { id organizationId } }`,
    objects: {
      A: (w) => ({ id: w.A.brandId }),
      B: (w) => ({ id: w.B.brandId }),
      agencyForA: (w) => ({ id: w.agencyForAId }),
      missing: () => ({ id: randomUUID() }),
    },
    expect: ONLY({
      agencyNoClients: N,
      brandB: { A: N, B: OK, agencyForA: N, missing: N },
      brandA: { A: OK, B: N, agencyForA: N, missing: N },
      agencyForA: { A: N, B: N, agencyForA: OK, missing: N },
      admin: { A: OK, B: OK, agencyForA: OK, missing: N },
    }),
    check: (endpoints: Array<{ organizationId: string }>, { vars }) =>
      must(
        endpoints.every((e) => e.organizationId === vars.id),
        "lists another organisation's endpoint",
      ),
  }),
  row({
    operation: 'webhookDeliveries',
    document: `query($id: ID!) { webhookDeliveries(endpointId: $id) { totalCount } }`,
    objects: webhookEndpointObjects,
    expect: WEBHOOK_MANAGERS,
  }),
  row({
    operation: 'createWebhookEndpoint',
    document: `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) {
      __typename ... on WebhookEndpointCreated { endpoint { id organizationId } } ... on ErrorResult { errorCode } } }`,
    objects: {
      A: (w) => ({ input: { organizationId: w.A.brandId, url: 'https://93.184.215.14/a', events: ['CLAIM_CREATED'] } }),
      B: (w) => ({ input: { organizationId: w.B.brandId, url: 'https://93.184.215.14/b', events: ['CLAIM_CREATED'] } }),
      missing: () => ({ input: { organizationId: randomUUID(), url: 'https://93.184.215.14/m', events: ['CLAIM_CREATED'] } }),
    },
    expect: WEBHOOK_MANAGERS,
    check: (value, { vars }) =>
      must(value.endpoint.organizationId === (vars.input as { organizationId: string }).organizationId, 'created for another organisation'),
  }),
  row({
    operation: 'updateWebhookEndpoint',
    document: `mutation($id: ID!, $input: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(id: $id, input: $input) {
      __typename ... on WebhookEndpointUpdated { endpoint { id } } ... on ErrorResult { errorCode } } }`,
    objects: {
      A: (w) => ({ id: w.A.webhookEndpointId, input: { description: 'matrix' } }),
      B: (w) => ({ id: w.B.webhookEndpointId, input: { description: 'matrix' } }),
      missing: () => ({ id: randomUUID(), input: { description: 'hijacked' } }),
    },
    expect: WEBHOOK_MANAGERS,
    check: (value, { vars }) => must(value.endpoint.id === vars.id, 'another endpoint came back'),
  }),
  row({
    operation: 'deleteWebhookEndpoint',
    document: `mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }`,
    objects: {
      A: (w) => freshWebhookEndpoint(w, w.A.brandId),
      B: (w) => freshWebhookEndpoint(w, w.B.brandId),
      missing: () => ({ id: randomUUID() }),
    },
    expect: WEBHOOK_MANAGERS,
  }),
  // ----- queries -----
  row({
    operation: 'apiKeys',
    document: `{ apiKeys { id organizationId } }`,
    objects: NO_OBJECT,
    expect: ONLY({ agencyNoClients: OK, brandB: OK, brandA: OK, agencyForA: OK, admin: OK }),
    check: (keys: Array<{ organizationId: string | null }>, { w, principal }) =>
      must(
        keys.every((k) => k.organizationId === organizationOf(w, principal)),
        'lists a key of another organisation',
      ),
  }),
  row({
    operation: 'campaign',
    document: `query($id: ID!) { campaign(id: $id) { id brandId name stats { claimed } claims(first: 5) { totalCount edges { node { id code } } } } }`,
    objects: campaignObjects((s) => s.campaigns.live1),
    expect: CAMPAIGN_MANAGERS(OK),
    check: (c, { vars }) => {
      must(c.id === vars.id, 'another campaign came back');
      must(c.claims.totalCount >= 1 && c.claims.edges.every((e: any) => e.node.code === null), 'a ledger without claims, or with codes');
    },
  }),
  row({
    operation: 'campaigns',
    document: `query($brandId: ID) { campaigns(brandId: $brandId, first: 100) { totalCount edges { node { id brandId } } } }`,
    objects: {
      '-': () => ({}),
      A: (w) => ({ brandId: w.A.brandId }),
      B: (w) => ({ brandId: w.B.brandId }),
      missing: () => ({ brandId: randomUUID() }),
    },
    // Unfiltered: the campaigns one manages (none: empty). Filtered by a brand one does not manage: NOT_FOUND.
    expect: ONLY({
      agencyNoClients: { '-': EMPTY, A: N, B: N, missing: N },
      brandB: { '-': OK, A: N, B: OK, missing: N },
      brandA: { '-': OK, A: OK, B: N, missing: N },
      agencyForA: { '-': OK, A: OK, B: N, missing: N },
      brandKeyA: { '-': OK, A: OK, B: N, missing: N },
      admin: { '-': OK, A: OK, B: OK, missing: N },
    }),
    check: (page, { w, principal, vars }) => {
      const managed = managedBrands(w, principal);
      must(page.totalCount > 0 && page.edges.length > 0, 'found nothing');
      for (const { node } of page.edges) {
        must(managed === 'all' || managed.includes(node.brandId), 'lists a campaign of a brand it does not manage');
        must(vars.brandId === undefined || node.brandId === vars.brandId, 'ignores the brandId filter');
      }
    },
  }),
  row({
    operation: 'currentApiKey',
    document: `{ currentApiKey { id organizationId scopes } }`,
    objects: NO_OBJECT,
    expect: { ...EVERYONE(NUL), anonymous: U, connectorKey: OK, brandKeyA: OK, searchKeyA: OK },
    check: (key, { w, principal }) => must(key.id === keyIdOf(w, principal), 'another key'),
  }),
  row({
    operation: 'eligibility',
    document: `query($c: ID!, $i: ID!) { eligibility(campaignId: $c, influencerId: $i) { eligible reasons { condition } } }`,
    objects: {
      A: (w) => ({ c: w.A.campaigns.live1, i: w.A.influencerId }),
      B: (w) => ({ c: w.B.campaigns.live1, i: w.B.influencerId }),
      missing: (w) => ({ c: randomUUID(), i: w.A.influencerId }),
    },
    expect: CAMPAIGN_MANAGERS(OK),
  }),
  row({
    operation: 'eligibleInfluencers',
    document: `{ eligibleInfluencers(first: 5) { totalCount edges { node { id scoreExplanation { score } } } } }`,
    objects: NO_OBJECT,
    expect: ONLY({ agencyNoClients: OK, brandB: OK, brandA: OK, agencyForA: OK, brandKeyA: OK, searchKeyA: OK, admin: OK }),
    check: (page, { principal }) => {
      must(page.edges.length > 0, 'found nobody');
      if (principal !== 'admin')
        must(
          page.edges.every((e: any) => e.node.scoreExplanation === null),
          'explains a stranger’s score',
        );
    },
  }),
  ...(['influencer', 'influencerByHandle'] as const).map((operation) =>
    row({
      operation,
      document:
        operation === 'influencer'
          ? `query($id: ID!) { influencer(id: $id) { id socialAccounts { handle verification { status code } } scoreExplanation { score } } }`
          : `query($handle: String!) { influencerByHandle(network: X, handle: $handle) { id socialAccounts { handle verification { status code } } scoreExplanation { score } } }`,
      objects:
        operation === 'influencer'
          ? {
              A: (w: World) => ({ id: w.A.influencerId }),
              B: (w: World) => ({ id: w.B.influencerId }),
              missing: () => ({ id: randomUUID() }),
            }
          : {
              A: (w: World) => ({ handle: w.A.handle }),
              B: (w: World) => ({ handle: w.B.handle }),
              missing: () => ({ handle: `nobody_${randomUUID().slice(0, 8)}` }),
            },
      expect: {
        anonymous: U,
        revokedKey: U,
        connectorKey: F,
        agencyNoClients: sides('AB'),
        brandB: sides('AB'),
        influencerA: sides('A'),
        influencerB: sides('B'),
        brandA: sides('AB'),
        agencyForA: sides('AB'),
        brandKeyA: sides('AB'),
        searchKeyA: sides('AB'),
        admin: sides('AB'),
      },
      check: (influencer, { w, principal, object }) => {
        must(influencer.id === w[object as 'A' | 'B'].influencerId, 'another influencer came back');
        if (principal !== 'admin' && influencerSide(principal) !== object) {
          must(influencer.scoreExplanation === null, 'explains a stranger’s score');
        }
        // Links nobody proved are shown to their influencer and the operators only.
        const statuses = influencer.socialAccounts.map((a: any) => a.verification.status).sort();
        const own = principal === 'admin' || influencerSide(principal) === object;
        must(
          JSON.stringify(statuses) === JSON.stringify(own ? ['PENDING', 'VERIFIED'] : ['VERIFIED']),
          `shows links ${statuses.join(', ')}`,
        );
      },
    }),
  ),
  row({
    operation: 'exportMyData',
    document: `{ exportMyData }`,
    objects: NO_OBJECT,
    expect: ONLY({ influencerA: OK, influencerB: OK }),
    check: (data, { w, principal }) =>
      must(data.user.id === w.userIds[principal] && data.profile.id === w[influencerSide(principal)!].influencerId, "someone else's data"),
  }),
  row({
    operation: 'me',
    document: `{ me { id role } }`,
    objects: NO_OBJECT,
    expect: { ...EVERYONE(OK), anonymous: NUL, connectorKey: NUL, brandKeyA: NUL, searchKeyA: NUL },
    check: (me, { w, principal }) => must(me.id === w.userIds[principal], 'someone else'),
  }),
  row({
    operation: 'myOffers',
    document: `{ myOffers(first: 100) { totalCount edges { node { id influencerId campaignId claim { id code } } } } }`,
    objects: NO_OBJECT,
    expect: ONLY({ influencerA: OK, influencerB: OK }),
    check: (page, { w, principal }) => {
      const own = w[influencerSide(principal)!].influencerId;
      must(page.totalCount >= 3, 'offers missing');
      must(
        page.edges.every((e: any) => e.node.influencerId === own),
        "lists someone else's offer",
      );
    },
  }),
  row({
    operation: 'notifications',
    document: `{ notifications(first: 100) { totalCount edges { node { id kind offerId campaignId } } } }`,
    objects: NO_OBJECT,
    expect: ONLY({ influencerA: OK, influencerB: OK }),
    check: (page) => must(page.totalCount >= 3 && page.edges.some((e: any) => e.node.kind === 'OFFER_NEW'), 'notifications missing'),
  }),
  row({
    operation: 'unreadNotificationCount',
    document: `{ unreadNotificationCount }`,
    objects: NO_OBJECT,
    expect: ONLY({ influencerA: OK, influencerB: OK }),
  }),
  row({
    operation: 'markNotificationsRead',
    // Influencer X's own notification ids; anyone else's are ignored (marked 0), as are ids that do not exist.
    document: `mutation($ids: [ID!]!) { markNotificationsRead(ids: $ids) { marked unreadCount } }`,
    objects: {
      A: async (w) => ({ ids: await notificationIds(w, w.A.influencerId) }),
      B: async (w) => ({ ids: await notificationIds(w, w.B.influencerId) }),
      missing: () => ({ ids: ['9223372036854775807'] }),
    },
    expect: ONLY({ influencerA: { A: OK, B: OK, missing: OK }, influencerB: { A: OK, B: OK, missing: OK } }),
    check: (payload, { principal, object }) => {
      if (influencerSide(principal) !== object) must(payload.marked === 0, "marked someone else's notification read");
    },
  }),
  row({
    operation: 'notificationPreferences',
    document: `{ notificationPreferences { kind inApp email } }`,
    objects: NO_OBJECT,
    expect: ONLY({ influencerA: OK, influencerB: OK }),
    check: (prefs) => must(prefs.length === 6, 'a kind is missing'),
  }),
  row({
    operation: 'updateNotificationPreferences',
    document: `mutation { updateNotificationPreferences(input: [{ kind: SCORE_CHANGED, email: true }]) { kind inApp email } }`,
    objects: NO_OBJECT,
    expect: ONLY({ influencerA: OK, influencerB: OK }),
    check: (prefs) =>
      must(
        prefs.some((p: any) => p.kind === 'SCORE_CHANGED' && p.email && p.inApp),
        'not changed',
      ),
  }),
  row({
    operation: 'myClaims',
    document: `{ myClaims(first: 100) { totalCount edges { node { id campaignId code influencer { id } } } } }`,
    objects: NO_OBJECT,
    expect: ONLY({ influencerA: OK, influencerB: OK }),
    check: (page, { w, principal }) => {
      const own = w[influencerSide(principal)!].influencerId;
      must(page.totalCount >= 2, 'claims missing');
      must(
        page.edges.every((e: any) => e.node.influencer?.id === own && e.node.code),
        "lists someone else's claim, or hides a code from its holder",
      );
    },
  }),
  row({
    operation: 'organization',
    document: `query($id: ID!) { organization(id: $id) { id kind agencies { id } clients { id } } }`,
    objects: {
      A: (w) => ({ id: w.A.brandId }),
      B: (w) => ({ id: w.B.brandId }),
      agencyForA: (w) => ({ id: w.agencyForAId }),
      missing: () => ({ id: randomUUID() }),
    },
    expect: {
      anonymous: U,
      revokedKey: U,
      connectorKey: N,
      agencyNoClients: N,
      brandB: { A: N, B: OK, agencyForA: N, missing: N },
      influencerA: N,
      influencerB: N,
      brandA: { A: OK, B: N, agencyForA: N, missing: N },
      agencyForA: { A: OK, B: N, agencyForA: OK, missing: N },
      brandKeyA: { A: OK, B: N, agencyForA: N, missing: N },
      searchKeyA: { A: OK, B: N, agencyForA: N, missing: N },
      admin: { A: OK, B: OK, agencyForA: OK, missing: N },
    },
    check: (org, { vars, principal, object }) => {
      must(org.id === vars.id, 'another organisation came back');
      const member =
        principal === 'admin' ||
        (principal === 'brandA' && object === 'A') ||
        (principal === 'brandB' && object === 'B') ||
        (principal === 'agencyForA' && object === 'agencyForA');
      if (!member) must(org.agencies === null && org.clients === null, "shows a non-member the organisation's relations");
    },
  }),
  row({
    operation: 'scoreRun',
    document: `query($id: ID!) { scoreRun(id: $id) { id runDate status } }`,
    objects: { run: (w) => ({ id: String(w.scoreRunId) }), missing: () => ({ id: '999999999' }) },
    expect: ONLY({ admin: { run: OK, missing: NUL } }),
    check: (run, { w }) => must(run.id === String(w.scoreRunId), 'another run'),
  }),
  row({
    operation: 'queueStates',
    document: `{ queueStates { name reachable waiting } }`,
    objects: NO_OBJECT,
    expect: ONLY({ admin: OK }),
  }),
  row({
    operation: 'scoreRuns',
    document: `{ scoreRuns { totalCount edges { node { id } } } }`,
    objects: NO_OBJECT,
    expect: ONLY({ admin: OK }),
  }),
  row({
    operation: 'topics',
    document: `{ topics { slug } }`,
    objects: NO_OBJECT,
    expect: EVERYONE(OK),
    check: (topics) => must(topics.length > 0, 'no topics'),
  }),

  // ----- mutations -----
  row({
    operation: 'addAgencyClient',
    document: `mutation($brandId: ID!, $agencyId: ID!) { addAgencyClient(brandId: $brandId, agencyId: $agencyId) {
      __typename ... on AgencyClientGrant { brand { id } agency { id } } ... on ErrorResult { errorCode } } }`,
    objects: {
      A: (w) => ({ brandId: w.A.brandId, agencyId: w.agencyForAId }),
      B: (w) => ({ brandId: w.B.brandId, agencyId: w.spareAgencyId }),
      missing: (w) => ({ brandId: randomUUID(), agencyId: w.spareAgencyId }),
    },
    expect: ONLY({ brandB: sides('B'), brandA: sides('A'), admin: sides('AB') }),
    check: (grant, { vars }) => must(grant.brand.id === vars.brandId && grant.agency.id === vars.agencyId, 'another grant'),
  }),
  row({
    operation: 'cancelClaim',
    document: `mutation($id: ID!) { cancelClaim(claimId: $id) { __typename ... on Claim { id status code } ... on ErrorResult { errorCode } } }`,
    objects: { A: (w) => ({ id: w.A.cancelClaimId }), B: (w) => ({ id: w.B.cancelClaimId }), missing: () => ({ id: randomUUID() }) },
    expect: {
      ...CAMPAIGN_MANAGERS(RES),
      agencyNoClients: N,
      influencerA: sides('A', RES),
      influencerB: sides('B', RES),
    },
    check: (claim, { vars, principal, object }) => {
      if (claim.__typename !== 'Claim') return;
      must(claim.id === vars.id, 'another claim');
      if (influencerSide(principal) !== object) must(claim.code === null, 'shows the code to someone other than its holder');
    },
  }),
  row({
    operation: 'updateBrandSettings',
    // Null is the default (no cap): the cells change nothing the rest of the matrix relies on.
    document: `mutation($brandId: ID!, $input: UpdateBrandSettingsInput!) { updateBrandSettings(brandId: $brandId, input: $input) {
      __typename ... on BrandSettings { brandId maxActiveClaimsPerInfluencer } } }`,
    objects: {
      A: (w) => ({ brandId: w.A.brandId, input: { maxActiveClaimsPerInfluencer: null } }),
      B: (w) => ({ brandId: w.B.brandId, input: { maxActiveClaimsPerInfluencer: null } }),
      missing: () => ({ brandId: randomUUID(), input: { maxActiveClaimsPerInfluencer: null } }),
    },
    // Brand policy is the brand's own people's (and operators'): agencies act on campaigns, not on it.
    expect: ONLY({ brandB: sides('B'), brandA: sides('A'), admin: sides('AB') }),
    check: (settings, { vars }) => must(settings.brandId === vars.brandId, 'another brand'),
  }),
  row({
    operation: 'claimOffer',
    // The setup claimed these offers with these keys: the retry replays that claim.
    document: `mutation($offerId: ID!, $key: String) { claimOffer(offerId: $offerId, idempotencyKey: $key) {
      __typename ... on Claim { id code } ... on ErrorResult { errorCode } } }`,
    objects: {
      A: (w) => ({ offerId: w.A.keyedClaim.offerId, key: w.A.keyedClaim.idempotencyKey }),
      B: (w) => ({ offerId: w.B.keyedClaim.offerId, key: w.B.keyedClaim.idempotencyKey }),
      missing: () => ({ offerId: randomUUID(), key: randomUUID() }),
    },
    expect: ONLY({ influencerA: sides('A'), influencerB: sides('B') }),
    check: (claim, { w, object }) => {
      const mine = w[object as 'A' | 'B'].keyedClaim;
      must(claim.__typename === 'Claim' && claim.id === mine.id && claim.code === mine.code, 'not the claim the key made');
    },
  }),
  row({
    operation: 'connectSocialAccount',
    document: `mutation($input: ConnectSocialAccountInput!) { connectSocialAccount(input: $input) {
      __typename ... on SocialAccount { handle } ... on ErrorResult { errorCode } } }`,
    objects: { A: (w) => ({ input: socialAccountInput(w.A.handle) }), B: (w) => ({ input: socialAccountInput(w.B.handle) }) },
    expect: ONLY({
      influencerA: { A: OK, B: typed('HANDLE_TAKEN') },
      influencerB: { A: typed('HANDLE_TAKEN'), B: OK },
    }),
  }),
  row({
    operation: 'createApiKey',
    document: `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) {
      __typename ... on CreatedApiKey { apiKey { id organizationId scopes } } ... on ErrorResult { errorCode } } }`,
    objects: {
      search: () => ({ input: { name: 'matrix', scopes: ['SEARCH'] } }),
      ingest: () => ({ input: { name: 'matrix', scopes: ['INGEST'] } }),
      A: (w) => ({ input: { name: 'matrix', scopes: ['SEARCH'], organizationId: w.A.brandId } }),
      B: (w) => ({ input: { name: 'matrix', scopes: ['SEARCH'], organizationId: w.B.brandId } }),
      missing: () => ({ input: { name: 'matrix', scopes: ['SEARCH'], organizationId: randomUUID() } }),
    },
    expect: ONLY({
      agencyNoClients: { search: OK, ingest: typed('SCOPE_NOT_ALLOWED'), A: N, B: N, missing: N },
      brandB: { search: OK, ingest: typed('SCOPE_NOT_ALLOWED'), A: N, B: OK, missing: N },
      brandA: { search: OK, ingest: typed('SCOPE_NOT_ALLOWED'), A: OK, B: N, missing: N },
      agencyForA: { search: OK, ingest: typed('SCOPE_NOT_ALLOWED'), A: N, B: N, missing: N },
      // Operators issue connector keys only; an organisation's keys are its members' to issue.
      admin: { search: typed('SCOPE_NOT_ALLOWED'), ingest: OK, A: BAD, B: BAD, missing: BAD },
    }),
    check: ({ apiKey }, { w, principal, object, vars }) => {
      const expected = object === 'ingest' ? null : ((vars.input as Vars).organizationId ?? organizationOf(w, principal));
      must(apiKey.organizationId === expected, 'a key for another organisation');
    },
  }),
  row({
    operation: 'createCampaign',
    document: `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { __typename ... on Campaign { id brandId } ... on ErrorResult { errorCode } } }`,
    objects: {
      self: () => ({ input: campaignInput('matrix') }),
      A: (w) => ({ input: campaignInput('matrix', { brandId: w.A.brandId }) }),
      B: (w) => ({ input: campaignInput('matrix', { brandId: w.B.brandId }) }),
      missing: () => ({ input: campaignInput('matrix', { brandId: randomUUID() }) }),
    },
    expect: {
      anonymous: U,
      revokedKey: U,
      connectorKey: F,
      // An agency names the client brand; without one there is nothing to create the campaign for.
      agencyNoClients: { self: BAD, A: N, B: N, missing: N },
      brandB: { self: OK, A: N, B: OK, missing: N },
      influencerA: F,
      influencerB: F,
      brandA: { self: OK, A: OK, B: N, missing: N },
      agencyForA: { self: BAD, A: OK, B: N, missing: N },
      brandKeyA: { self: OK, A: OK, B: N, missing: N },
      searchKeyA: F,
      admin: F,
    },
    check: (campaign, { w, principal, vars }) => {
      const expected = ((vars.input as Vars).brandId as string | undefined) ?? (managedBrands(w, principal) as string[])[0];
      must(campaign.brandId === expected, 'created for another brand');
    },
  }),
  row({
    operation: 'declineOffer',
    // Influencer X's open offer (on the other brand's campaign).
    document: `mutation($id: ID!) { declineOffer(offerId: $id) { __typename ... on Offer { id status } ... on ErrorResult { errorCode } } }`,
    objects: { A: (w) => ({ id: w.A.openOfferId }), B: (w) => ({ id: w.B.openOfferId }), missing: () => ({ id: randomUUID() }) },
    expect: ONLY({ influencerA: sides('A'), influencerB: sides('B') }),
    check: (offer, { vars }) => must(offer.id === vars.id && offer.status === 'DECLINED', 'not declined'),
  }),
  row({
    operation: 'disconnectSocialAccount',
    // A fresh PENDING link of influencer X for each cell: the links the other rows use stay.
    document: `mutation($id: ID!) { disconnectSocialAccount(id: $id) { id wasVerified } }`,
    objects: { A: (w) => freshLink(w, w.A.influencerId), B: (w) => freshLink(w, w.B.influencerId), missing: () => ({ id: randomUUID() }) },
    expect: ONLY({ influencerA: sides('A'), influencerB: sides('B') }),
    check: (gone, { vars }) => must(gone.id === vars.id && gone.wasVerified === false, 'another link'),
  }),
  row({
    operation: 'endCampaign',
    document: TRANSITION('endCampaign'),
    objects: campaignObjects((s) => s.campaigns.draft),
    expect: CAMPAIGN_MANAGERS(RES),
    check: transitionCheck,
  }),
  row({
    operation: 'eraseMyData',
    // Destructive: influencers A and B are needed by every other row, so their cells are not run
    // (influencer C erases their own data in a test below).
    document: (schema) => autoDocument(schema, 'eraseMyData'),
    objects: NO_OBJECT,
    expect: ONLY({ influencerA: 'ALLOWED_NOT_RUN', influencerB: 'ALLOWED_NOT_RUN' }),
  }),
  row({
    operation: 'ingestActivity',
    document: `mutation { ingestActivity(input: { posts: [], interactions: [] }) { __typename ... on IngestReport { accepted } ... on ErrorResult { errorCode } } }`,
    objects: NO_OBJECT,
    expect: ONLY({ connectorKey: OK }),
  }),
  row({
    operation: 'launchCampaign',
    // Live already: the managers get the state error, which they may only learn after the ownership check.
    document: TRANSITION('launchCampaign'),
    objects: campaignObjects((s) => s.campaigns.live1),
    expect: CAMPAIGN_MANAGERS(typed('INVALID_CAMPAIGN_STATE')),
  }),
  row({
    operation: 'logIn',
    document: `mutation($input: LogInInput!) { logIn(input: $input) { __typename ... on AuthPayload { user { id } } ... on ErrorResult { errorCode } } }`,
    objects: {
      // A fresh account per cell: the per-email log-in limit is not what this row is about.
      '-': async (w) => {
        const person = await signUp(w.api.client, 'INFLUENCER');
        return { input: { email: person.email, password: 'correct horse battery' } };
      },
    },
    expect: EVERYONE(OK),
  }),
  row({
    operation: 'optIn',
    // Opted in already: idempotent, it changes nothing.
    document: `mutation { optIn { id optedInAt } }`,
    objects: NO_OBJECT,
    expect: ONLY({ influencerA: OK, influencerB: OK }),
    check: (profile, { w, principal }) =>
      must(profile.id === w[influencerSide(principal)!].influencerId && profile.optedInAt, 'not their profile, or not opted in'),
  }),
  row({
    operation: 'optOut',
    // Withdraws their offers: influencers A and B are needed opted in by the other rows, so their
    // cells are not run (influencer C opts out and in again in a test below).
    document: (schema) => autoDocument(schema, 'optOut'),
    objects: NO_OBJECT,
    expect: ONLY({ influencerA: 'ALLOWED_NOT_RUN', influencerB: 'ALLOWED_NOT_RUN' }),
  }),
  row({
    operation: 'pauseCampaign',
    // A draft (ended by then): the managers get the state error.
    document: TRANSITION('pauseCampaign'),
    objects: campaignObjects((s) => s.campaigns.draft),
    expect: CAMPAIGN_MANAGERS(typed('INVALID_CAMPAIGN_STATE')),
  }),
  row({
    operation: 'recomputeScores',
    // The date of the run the setup made: asking again returns it and starts nothing.
    document: `mutation($date: String) { recomputeScores(date: $date) { __typename ... on ScoreRun { id } ... on ErrorResult { errorCode } } }`,
    objects: { '-': (w) => ({ date: w.scoreRunDate }) },
    expect: ONLY({ admin: OK }),
    check: (run, { w }) => must(run.id === String(w.scoreRunId), 'another run'),
  }),
  row({
    operation: 'redeemClaim',
    document: `mutation($code: String!) { redeemClaim(code: $code) { __typename ... on Claim { id code } ... on ErrorResult { errorCode } } }`,
    objects: {
      A: (w) => ({ code: w.A.keyedClaim.code }),
      B: (w) => ({ code: w.B.keyedClaim.code }),
      missing: () => ({ code: randomCode() }),
    },
    expect: ONLY({
      // Another brand's code is answered like an unknown one.
      agencyNoClients: typed('INVALID_CODE'),
      brandB: { A: typed('INVALID_CODE'), B: RES, missing: typed('INVALID_CODE') },
      brandA: { A: RES, B: typed('INVALID_CODE'), missing: typed('INVALID_CODE') },
      agencyForA: { A: RES, B: typed('INVALID_CODE'), missing: typed('INVALID_CODE') },
      brandKeyA: { A: RES, B: typed('INVALID_CODE'), missing: typed('INVALID_CODE') },
      admin: { A: RES, B: RES, missing: typed('INVALID_CODE') },
    }),
    check: (claim, { w, object }) => {
      must(['Claim', 'AlreadyRedeemedError'].includes(claim.__typename), `redeemed nothing: ${claim.__typename}`);
      if (claim.__typename === 'Claim')
        must(claim.id === w[object as 'A' | 'B'].keyedClaim.id && claim.code === null, 'wrong claim, or its code shown');
    },
  }),
  row({
    operation: 'removeAgencyClient',
    document: `mutation($brandId: ID!, $agencyId: ID!) { removeAgencyClient(brandId: $brandId, agencyId: $agencyId) }`,
    objects: {
      A: (w) => ({ brandId: w.A.brandId, agencyId: w.removableAgencyId }),
      B: (w) => ({ brandId: w.B.brandId, agencyId: w.spareAgencyId }),
      missing: (w) => ({ brandId: randomUUID(), agencyId: w.removableAgencyId }),
    },
    expect: ONLY({ brandB: sides('B'), brandA: sides('A'), admin: sides('AB') }),
  }),
  row({
    operation: 'revokeApiKey',
    document: `mutation($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }`,
    objects: {
      A: (w) => ({ id: w.A.apiKeyId }),
      B: (w) => ({ id: w.B.apiKeyId }),
      operator: (w) => ({ id: w.operatorKeyId }),
      missing: () => ({ id: randomUUID() }),
    },
    expect: {
      ...ONLY({
        brandB: { A: N, B: OK, operator: N, missing: N },
        brandA: { A: OK, B: N, operator: N, missing: N },
        // An organisation's keys are its members' to manage; operators manage connector keys.
        admin: { A: N, B: N, operator: OK, missing: N },
      }),
      agencyNoClients: N,
      agencyForA: N,
    },
    check: (key, { vars }) => must(key.id === vars.id && key.revokedAt !== null, 'not revoked'),
  }),
  row({
    operation: 'signUp',
    document: `mutation($input: SignUpInput!) { signUp(input: $input) { __typename ... on AuthPayload { user { id } } ... on ErrorResult { errorCode } } }`,
    objects: {
      '-': () => ({ input: { email: uniqueEmail('matrix'), password: 'correct horse battery', role: 'INFLUENCER', name: 'Matrix' } }),
    },
    expect: EVERYONE(OK),
  }),
  row({
    operation: 'updateCampaign',
    document: `mutation($id: ID!, $input: UpdateCampaignInput!) { updateCampaign(id: $id, input: $input) {
      __typename ... on Campaign { id name } ... on ErrorResult { errorCode } } }`,
    objects: {
      A: (w) => ({ id: w.A.campaigns.live1, input: { name: w.A.names.live1 } }),
      B: (w) => ({ id: w.B.campaigns.live1, input: { name: w.B.names.live1 } }),
      missing: () => ({ id: randomUUID(), input: { name: 'hijacked' } }),
    },
    expect: CAMPAIGN_MANAGERS(OK),
    check: (campaign, { vars }) => must(campaign.id === vars.id, 'another campaign'),
  }),
  row({
    operation: 'updateMyProfile',
    document: `mutation($input: UpdateMyProfileInput!) { updateMyProfile(input: $input) {
      __typename ... on Influencer { id language } } }`,
    // No campaign of the world targets languages: a change of language moves nothing else.
    objects: { '-': () => ({ input: { language: 'EN' } }) },
    expect: ONLY({ influencerA: OK, influencerB: OK }),
    check: (profile, { w, principal }) =>
      must(profile.id === w[influencerSide(principal)!].influencerId && profile.language === 'en', 'not their profile, or not changed'),
  }),
  row({
    operation: 'verifySocialAccount',
    // Links the setup verified through their bios: an operator's check leaves them as they are.
    document: `mutation($id: ID!) { verifySocialAccount(id: $id) {
      __typename ... on SocialAccount { id verification { status method code } } ... on ErrorResult { errorCode } } }`,
    objects: { A: (w) => ({ id: w.A.accountId }), B: (w) => ({ id: w.B.accountId }), missing: () => ({ id: randomUUID() }) },
    expect: ONLY({ admin: sides('AB') }),
    check: (account, { vars }) =>
      must(
        account.id === vars.id && account.verification.status === 'VERIFIED' && account.verification.method === 'BIO',
        'not the link, or its proof changed',
      ),
  }),
];

/** A document for an operation without arguments, selecting what its return type offers. */
function autoDocument(schema: GraphQLSchema, operation: string): string {
  const kind = schema.getQueryType()?.getFields()[operation] ? 'query' : 'mutation';
  const field = (kind === 'query' ? schema.getQueryType() : schema.getMutationType())?.getFields()[operation];
  if (!field) return `mutation { ${operation} }`;
  const type = getNamedType(field.type);
  const members = isUnionType(type) ? type.getTypes() : isObjectType(type) ? [type] : [];
  if (!members.length) return `${kind} { ${operation} }`;
  const failures = members.some((m) => m.getInterfaces().some((i) => i.name === 'ErrorResult'));
  return `${kind} { ${operation} { __typename ${failures ? '... on ErrorResult { errorCode }' : ''} } }`;
}

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
