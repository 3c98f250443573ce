import { randomUUID } from 'node:crypto';
import { campaignInput, socialAccountInput } from './fixtures';
import { signUp, uniqueEmail } from './graphql';
import {
  autoDocument,
  BAD,
  CAMPAIGN_MANAGERS,
  campaignObjects,
  EVERYONE,
  F,
  freshLink,
  influencerSide,
  managedBrands,
  must,
  N,
  NO_OBJECT,
  OK,
  ONLY,
  organizationOf,
  randomCode,
  RES,
  row,
  sides,
  TRANSITION,
  transitionCheck,
  typed,
  U,
  Vars,
  type Row,
} from './authorization-matrix';

/** The matrix's rows for the mutations, in the order they run after QUERY_ROWS (see authorization-matrix.ts). */
export const MUTATION_ROWS: Row[] = [
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
