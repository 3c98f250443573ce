import { randomUUID } from 'node:crypto';
import type { World } from './fixtures';
import {
  CAMPAIGN_MANAGERS,
  campaignObjects,
  EMPTY,
  EVERYONE,
  F,
  freshWebhookEndpoint,
  influencerSide,
  keyIdOf,
  managedBrands,
  must,
  N,
  NO_OBJECT,
  notificationIds,
  NUL,
  OK,
  ONLY,
  organizationOf,
  row,
  sides,
  U,
  WEBHOOK_MANAGERS,
  webhookEndpointObjects,
  type Row,
} from './authorization-matrix';

/** The matrix's rows for the webhook operations and the queries, in the order they run (see authorization-matrix.ts). */
export const QUERY_ROWS: Row[] = [
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
];
