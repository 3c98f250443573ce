import { IngestActivityDocument, type IngestAccountInput } from '../../src/client/generated/graphql';
import type { RawAccount } from '../../src/modules/activity/ingest-validation';
import { day } from './dates';
import type { Credentials, GraphQLClient } from './graphql';

export const CONNECT = /* GraphQL */ `
  mutation ($input: ConnectSocialAccountInput!) {
    connectSocialAccount(input: $input) {
      __typename
      ... on SocialAccount {
        id
        verification {
          status
          code
          verifiedAt
          method
        }
      }
      ... on ErrorResult {
        errorCode
        message
      }
    }
  }
`;

/** What ingestActivity's `accounts` takes: the shape the ingest validates. */
export type AccountSnapshotInput = RawAccount;

/**
 * A connector's snapshot of an established account: years old, hundreds of followers, a posting
 * history. Engagers that should count for a score need one (an engager nobody described counts
 * very little).
 */
export function establishedAccount(network: string, handle: string, extra: Partial<AccountSnapshotInput> = {}): AccountSnapshotInput {
  return { network, handle, followers: 800, following: 200, posts: 400, createdAt: '2016-05-01T00:00:00Z', verified: false, ...extra };
}

/** A connector's snapshot of a fresh account: days old, no followers, no posts. */
export function freshAccount(network: string, handle: string, extra: Partial<AccountSnapshotInput> = {}): AccountSnapshotInput {
  const createdAt = new Date(Date.now() - 3 * 86_400_000).toISOString();
  return { network, handle, followers: 0, following: 40, posts: 0, createdAt, verified: false, ...extra };
}

/** Sends account snapshots as a connector (`connector`: an INGEST key) and fails on any rejection. */
export async function ingestAccounts(client: GraphQLClient, connector: string, accounts: AccountSnapshotInput[]) {
  for (let i = 0; i < accounts.length; i += 10_000) {
    // The connector's example operation; the snapshots are built loosely typed (tests send bad ones too).
    const batch = accounts.slice(i, i + 10_000) as IngestAccountInput[];
    const { ingestActivity } = await client.ok(IngestActivityDocument, { input: { accounts: batch } }, { apiKey: connector });
    if (ingestActivity.__typename !== 'IngestReport' || ingestActivity.rejected > 0) {
      throw new Error(`account snapshots refused: ${JSON.stringify(ingestActivity)}`);
    }
  }
}

export interface ConnectInput {
  network: string;
  handle: string;
  followers?: number;
  following?: number;
  accountCreatedAt?: string;
  verified?: boolean;
}

/** Links an account to the influencer (PENDING) and returns the link's id and one-time code. */
export async function connectAccount(client: GraphQLClient, who: Credentials, input: ConnectInput): Promise<{ id: string; code: string }> {
  const declared = { followers: 1000, following: 100, accountCreatedAt: '2019-01-01T00:00:00Z', ...input };
  const { connectSocialAccount } = await client.ok(CONNECT, { input: declared }, who);
  if (connectSocialAccount.__typename !== 'SocialAccount') throw new Error(`connect failed: ${JSON.stringify(connectSocialAccount)}`);
  return { id: connectSocialAccount.id, code: connectSocialAccount.verification.code };
}

/**
 * Links an account to the influencer and proves it the honest way: a connector reads the public
 * profile, whose bio holds the code (the snapshot also gives the account its evidence: by default
 * an established account). Returns the link's id.
 */
export async function connectVerified(
  client: GraphQLClient,
  who: Credentials,
  connector: string,
  input: ConnectInput,
  snapshot: Partial<AccountSnapshotInput> = {},
): Promise<string> {
  const { id, code } = await connectAccount(client, who, input);
  const bio = code ? `hello ${code}` : null; // null: verified already
  await ingestAccounts(client, connector, [establishedAccount(input.network, input.handle, { bio, ...snapshot })]);
  return id;
}

/** One interaction on X, `daysAgo` days ago, as a connector sends it to ingestActivity (the privacy tests' activity). */
export function xInteraction(externalId: string, kind: string, actor: string, target: string, post: string | undefined, daysAgo: number) {
  return {
    externalId,
    network: 'X',
    kind,
    actorHandle: actor,
    targetHandle: target,
    postExternalId: post,
    occurredAt: day(daysAgo).toISOString(),
  };
}

/** `count` established X accounts named `fan<i>_<tag>`, pushed by the connector: engagers whose interactions count. */
export async function establishedFans(client: GraphQLClient, connector: string, tag: string, count: number): Promise<string[]> {
  const fans = Array.from({ length: count }, (_, i) => `fan${i}_${tag}`);
  await ingestAccounts(
    client,
    connector,
    fans.map((fan) => establishedAccount('X', fan)),
  );
  return fans;
}

/** A new connector key (scope INGEST), created by the operator whose token is given. */
export async function connectorKey(client: GraphQLClient, adminToken: string): Promise<string> {
  const { createApiKey } = await client.ok(
    `mutation { createApiKey(input: { name: "c", scopes: [INGEST] }) { ... on CreatedApiKey { key } } }`,
    {},
    { token: adminToken },
  );
  return createApiKey.key;
}
