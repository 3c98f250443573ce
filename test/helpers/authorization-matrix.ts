import { randomBytes, randomUUID } from 'node:crypto';
import { getNamedType, isObjectType, isUnionType, type GraphQLSchema } from 'graphql';
import { newVerificationCode } from '../../src/modules/influencers/verification-code';
import { type PrincipalName, PRINCIPALS, type World } from './fixtures';

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
 * `forbiddenStrings` in test/e2e/authorization-matrix.test.ts); a NOT_FOUND (or other denial) for a real object reads exactly like the
 * principal's answer for a random id; and the outsiders' cells (anonymous, revoked key, connector
 * key, the agency without clients, brand B) leave every row of brand A as it was.
 */

export type Outcome =
  'OK' | 'NULL' | 'RESULT' | 'EMPTY' | 'ALLOWED_NOT_RUN' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'BAD_USER_INPUT' | `=${string}`;
export type Vars = Record<string, unknown>;
export type Builder = (w: World) => Vars | Promise<Vars>;
export interface Cell {
  principal: PrincipalName;
  object: string;
  vars: Vars;
  w: World;
}
export interface Row<O extends string = string> {
  operation: string;
  document: string | ((schema: GraphQLSchema) => string);
  objects: Record<O, Builder>;
  /** Per principal: one outcome for every object, or one per object (checked complete at run time). */
  expect: Record<PrincipalName, Outcome | Record<string, Outcome>>;
  /** Extra checks on an allowed answer (the operation's field); throw to fail the cell. */
  check?: (value: any, cell: Cell) => void;
}
export const row = <O extends string>(r: Row<O>): Row => r as unknown as Row;

export const U: Outcome = 'UNAUTHENTICATED';
export const F: Outcome = 'FORBIDDEN';
export const N: Outcome = 'NOT_FOUND';
export const BAD: Outcome = 'BAD_USER_INPUT';
export const OK: Outcome = 'OK';
export const RES: Outcome = 'RESULT';
export const NUL: Outcome = 'NULL';
export const EMPTY: Outcome = 'EMPTY';
export const typed = (code: string): Outcome => `=${code}`;
/** Outcomes over objects A, B and missing: `ok` for the sides named, NOT_FOUND for the rest. */
export const sides = (which: 'A' | 'B' | 'AB', ok: Outcome = OK) => ({
  A: which.includes('A') ? ok : N,
  B: which.includes('B') ? ok : N,
  missing: N,
});
export const DENIALS = new Set<Outcome>([U, F, N, BAD, NUL, EMPTY]);
export const isDenial = (o: Outcome) => DENIALS.has(o) || o === typed('INVALID_CODE');

/** A new PENDING link of the influencer (a random handle), for disconnectSocialAccount. */
export const freshLink = async (w: World, influencerId: string) => {
  const [link] = await w.api.dataSource.query(
    `INSERT INTO social_accounts (influencer_id, network, handle, followers, following, account_created_at, status, verification_code)
     VALUES ($1, 'TWITCH', $2, 10, 10, '2020-01-01', 'PENDING', $3) RETURNING id`,
    [influencerId, `matrix_${randomBytes(5).toString('hex')}`, newVerificationCode()],
  );
  return { id: link.id as string };
};

/** A code in the shape of a real one (XXXX-XXXX-...-XX) that names no claim. */
export const randomCode = () =>
  randomBytes(13)
    .toString('hex')
    .toUpperCase()
    .match(/.{1,4}/g)!
    .join('-');
export const NO_OBJECT = { '-': () => ({}) };
export const must = (condition: unknown, message: string) => {
  if (!condition) throw new Error(message);
};
/** The brands each principal manages campaigns of (admin: all). */
export const managedBrands = (w: World, p: PrincipalName): string[] | 'all' =>
  p === 'admin' ? 'all' : p === 'brandA' || p === 'agencyForA' || p === 'brandKeyA' ? [w.A.brandId] : p === 'brandB' ? [w.B.brandId] : [];
export const organizationOf = (w: World, p: PrincipalName): string | null | undefined =>
  ({ brandA: w.A.brandId, brandB: w.B.brandId, agencyForA: w.agencyForAId, agencyNoClients: w.agencyNoClientsId, admin: null })[
    p as string
  ];
export const keyIdOf = (w: World, p: PrincipalName) =>
  ({ connectorKey: w.connectorKeyId, brandKeyA: w.brandKeyAId, searchKeyA: w.searchKeyAId, revokedKey: w.revokedKeyId })[p as string];
/** Up to three of an influencer's notification ids (the world's matches wrote their OFFER_NEW). */
export const notificationIds = async (w: World, influencerId: string): Promise<string[]> =>
  (await w.api.dataSource.query(`SELECT id FROM notifications WHERE influencer_id = $1 ORDER BY id LIMIT 3`, [influencerId])).map(
    (r: { id: string }) => r.id,
  );
export const influencerSide = (p: PrincipalName) => (p === 'influencerA' ? 'A' : p === 'influencerB' ? 'B' : null);

export const TRANSITION = (op: string) =>
  `mutation($id: ID!) { ${op}(id: $id) { __typename ... on Campaign { id status } ... on ErrorResult { errorCode } } }`;
export const transitionCheck = (value: any, { vars }: Cell) => {
  if (value.__typename === 'Campaign') must(value.id === vars.id, 'another campaign came back');
};
export const campaignObjects = (pick: (s: World['A']) => string) => ({
  A: (w: World) => ({ id: pick(w.A) }),
  B: (w: World) => ({ id: pick(w.B) }),
  missing: () => ({ id: randomUUID() }),
});
/** Who manages a campaign: its brand's members and keys, the agency it granted, operators. */
export const CAMPAIGN_MANAGERS = (ok: Outcome) =>
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
export const EVERYONE = (ok: Outcome) =>
  Object.fromEntries(PRINCIPALS.map((p) => [p, p === 'revokedKey' ? U : ok])) as Record<PrincipalName, Outcome>;
/** The principals named get their outcomes; anonymous callers and the revoked key UNAUTHENTICATED; everyone else `others`. */
export const ONLY = (allowed: Partial<Record<PrincipalName, Outcome | Record<string, Outcome>>>, others: Outcome = F) =>
  Object.fromEntries(PRINCIPALS.map((p) => [p, allowed[p] ?? (p === 'anonymous' || p === 'revokedKey' ? U : others)])) as Record<
    PrincipalName,
    Outcome | Record<string, Outcome>
  >;

/** Webhook endpoints are managed by the members of their organisation and by operators; API keys and influencers have no say. */
export const WEBHOOK_MANAGERS = ONLY({ agencyNoClients: N, agencyForA: N, brandB: sides('B'), brandA: sides('A'), admin: sides('AB') });
export const webhookEndpointObjects = {
  A: (w: World) => ({ id: w.A.webhookEndpointId }),
  B: (w: World) => ({ id: w.B.webhookEndpointId }),
  missing: () => ({ id: randomUUID() }),
};
/** A new endpoint of the brand for each cell (for deleteWebhookEndpoint). */
export const freshWebhookEndpoint = async (w: World, brandId: string) => {
  const [row] = await w.api.dataSource.query(
    `INSERT INTO webhook_endpoints (organization_id, url, events, secret) VALUES ($1, 'https://93.184.215.14/x', '{claim.created}', $2) RETURNING id`,
    [brandId, `whsec_${randomBytes(32).toString('base64url')}`],
  );
  return { id: row.id as string };
};

/** A document for an operation without arguments, selecting what its return type offers. */
export function autoDocument(schema: GraphQLSchema, operation: string): string {
  const kind = schema.getQueryType()?.getFields()[operation] ? 'query' : 'mutation';
  const field = (kind === 'query' ? schema.getQueryType() : schema.getMutationType())?.getFields()[operation];
  if (!field) return `mutation { ${operation} }`;
  const type = getNamedType(field.type);
  const members = isUnionType(type) ? type.getTypes() : isObjectType(type) ? [type] : [];
  if (!members.length) return `${kind} { ${operation} }`;
  const failures = members.some((m) => m.getInterfaces().some((i) => i.name === 'ErrorResult'));
  return `${kind} { ${operation} { __typename ${failures ? '... on ErrorResult { errorCode }' : ''} } }`;
}
