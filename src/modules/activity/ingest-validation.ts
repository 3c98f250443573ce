import { inputTextProblem } from '../../core/input-text';
import { NETWORKS, type Network } from '../influencers/network';
import { codesInBio } from '../influencers/verification-code';
import { HANDLE_PATTERN, handleHash, normalizeHandle } from './actor-key';
import { RejectionCode } from './activity.types';

/** Interaction kinds and their stored codes (smallint, see the Activity migration). */
export const KIND_CODES = { RESHARE: 1, REPLY: 2, MENTION: 3, LIKE: 4 } as const;
export type InteractionKind = keyof typeof KIND_CODES;

export const MAX_TOPICS_PER_POST = 10;
const EARLIEST = Date.parse('2000-01-01T00:00:00Z');
const CLOCK_SKEW_MS = 5 * 60_000;
// Date-time with an explicit zone: a bare "2026-11-24" or a local time is ambiguous.
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const EXTERNAL_ID = /^[\x21-\x7e]{1,128}$/;

export interface RawPost {
  externalId: string;
  network: string;
  authorHandle: string;
  topics: string[];
  postedAt: string;
}

export interface RawInteraction {
  externalId: string;
  network: string;
  kind: string;
  actorHandle: string;
  targetHandle: string;
  postExternalId?: string | null;
  occurredAt: string;
}

export interface RawAccount {
  network: string;
  handle: string;
  followers: number;
  following: number;
  posts: number;
  createdAt: string;
  verified: boolean;
  bio?: string | null;
  observedAt?: string | null;
}

/** The largest count an account snapshot may carry (they are int4 columns). */
export const MAX_ACCOUNT_COUNT = 2_000_000_000;
export const MAX_BIO_LENGTH = 2_000;

export interface ValidPost {
  index: number;
  network: Network;
  externalId: string;
  authorHash: Buffer;
  topicIds: number[];
  postedAt: Date;
}

export interface ValidInteraction {
  index: number;
  network: Network;
  externalId: string;
  kind: number;
  actorHash: Buffer;
  targetHash: Buffer;
  postExternalId: string | null;
  occurredAt: Date;
}

export interface ValidAccount {
  index: number;
  network: Network;
  /** Normalised; used to match verification codes, never stored with the snapshot. */
  handle: string;
  hash: Buffer;
  followers: number;
  following: number;
  posts: number;
  createdAt: Date;
  verified: boolean;
  observedAt: Date;
  /** Verification codes found in the bio (the bio itself is not kept). */
  codes: string[];
}

export interface Rejection {
  index: number;
  externalId: string | null;
  code: RejectionCode;
  reason: string;
}

class Rejected {
  constructor(
    readonly code: RejectionCode,
    readonly reason: string,
  ) {}
}

function network(value: string): Network {
  if (!(NETWORKS as string[]).includes(value))
    throw new Rejected(RejectionCode.UNKNOWN_NETWORK, `unknown network "${value}"; use one of ${NETWORKS.join(', ')}`);
  return value as Network;
}

function externalId(value: string, field = 'externalId'): string {
  if (!EXTERNAL_ID.test(value))
    throw new Rejected(RejectionCode.BAD_EXTERNAL_ID, `${field} must be 1-128 printable characters without spaces`);
  return value;
}

function handle(value: string, field: string): string {
  if (!HANDLE_PATTERN.test(value)) throw new Rejected(RejectionCode.BAD_HANDLE, `${field} must be 1-64 letters, digits, ".", "-" or "_"`);
  return value;
}

function date(value: string, field: string, now: number): Date {
  const ms = ISO_DATE_TIME.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(ms))
    throw new Rejected(RejectionCode.BAD_DATE, `${field} must be an ISO 8601 date-time with a zone, like 2026-11-24T18:00:00Z`);
  if (ms < EARLIEST || ms > now + CLOCK_SKEW_MS) throw new Rejected(RejectionCode.BAD_DATE, `${field} must be between 2000-01-01 and now`);
  return new Date(ms);
}

function count(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 0 || value > MAX_ACCOUNT_COUNT) {
    throw new Rejected(RejectionCode.BAD_COUNT, `${field} must be a whole number from 0 to 2,000,000,000`);
  }
  return value;
}

/**
 * The item's text checked as the input boundary checks a single line (or free text), for this
 * item alone: its fields are `@InputText('item')`, so broken Unicode or a control character
 * rejects the item, not the batch.
 */
function text(fields: Record<string, string | string[] | null | undefined>, free: string[] = []): void {
  for (const [field, value] of Object.entries(fields)) {
    for (const one of Array.isArray(value) ? value : [value]) {
      if (typeof one !== 'string') continue;
      const problem = inputTextProblem(one, free.includes(field) ? 'free' : 'line', field);
      if (problem) throw new Rejected(RejectionCode.MALFORMED_ITEM, problem);
    }
  }
}

function check<T>(index: number, id: string | null, validate: () => T): T | Rejection {
  try {
    return validate();
  } catch (error) {
    if (!(error instanceof Rejected)) throw error;
    return { index, externalId: id, code: error.code, reason: error.reason };
  }
}

export function isRejection(value: unknown): value is Rejection {
  return typeof value === 'object' && value !== null && 'code' in value && 'reason' in value;
}

/** Checks one post on its own (topics against the taxonomy); references are checked in the database. */
export function validatePost(raw: RawPost, index: number, topicIds: ReadonlyMap<string, number>, now = Date.now()): ValidPost | Rejection {
  return check(index, raw.externalId, () => {
    text({ externalId: raw.externalId, network: raw.network, authorHandle: raw.authorHandle, topics: raw.topics, postedAt: raw.postedAt });
    const net = network(raw.network);
    if (raw.topics.length > MAX_TOPICS_PER_POST) {
      throw new Rejected(RejectionCode.TOO_MANY_TOPICS, `a post has at most ${MAX_TOPICS_PER_POST} topics; got ${raw.topics.length}`);
    }
    const ids = raw.topics.map((slug) => {
      const id = topicIds.get(slug);
      if (id === undefined) throw new Rejected(RejectionCode.UNKNOWN_TOPIC, `unknown topic "${slug}"; the query \`topics\` lists them`);
      return id;
    });
    return {
      index,
      network: net,
      externalId: externalId(raw.externalId),
      authorHash: handleHash(net, handle(raw.authorHandle, 'authorHandle')),
      topicIds: [...new Set(ids)].sort((a, b) => a - b),
      postedAt: date(raw.postedAt, 'postedAt', now),
    };
  });
}

export function validateInteraction(raw: RawInteraction, index: number, now = Date.now()): ValidInteraction | Rejection {
  return check(index, raw.externalId, () => {
    const { externalId: id, network: n, kind: k, actorHandle, targetHandle, postExternalId, occurredAt } = raw;
    text({ externalId: id, network: n, kind: k, actorHandle, targetHandle, postExternalId, occurredAt });
    const net = network(raw.network);
    const kind = KIND_CODES[raw.kind as InteractionKind];
    if (kind === undefined)
      throw new Rejected(RejectionCode.UNKNOWN_KIND, `unknown kind "${raw.kind}"; use one of ${Object.keys(KIND_CODES).join(', ')}`);
    const actor = handle(raw.actorHandle, 'actorHandle');
    const target = handle(raw.targetHandle, 'targetHandle');
    if (normalizeHandle(actor) === normalizeHandle(target)) {
      throw new Rejected(RejectionCode.SELF_INTERACTION, 'an account acting on itself does not count: actorHandle equals targetHandle');
    }
    return {
      index,
      network: net,
      externalId: externalId(raw.externalId),
      kind,
      actorHash: handleHash(net, actor),
      targetHash: handleHash(net, target),
      postExternalId: raw.postExternalId == null ? null : externalId(raw.postExternalId, 'postExternalId'),
      occurredAt: date(raw.occurredAt, 'occurredAt', now),
    };
  });
}

/** Checks one account snapshot on its own; observedAt defaults to `now`. */
export function validateAccount(raw: RawAccount, index: number, now = Date.now()): ValidAccount | Rejection {
  return check(index, null, () => {
    text({ network: raw.network, handle: raw.handle, createdAt: raw.createdAt, observedAt: raw.observedAt, bio: raw.bio }, ['bio']);
    const net = network(raw.network);
    const name = normalizeHandle(handle(raw.handle, 'handle'));
    const observedAt = raw.observedAt == null ? new Date(now) : date(raw.observedAt, 'observedAt', now);
    const createdAt = date(raw.createdAt, 'createdAt', now);
    if (createdAt > observedAt) throw new Rejected(RejectionCode.BAD_DATE, 'createdAt must not be after observedAt');
    if (raw.bio != null && raw.bio.length > MAX_BIO_LENGTH) {
      throw new Rejected(RejectionCode.BIO_TOO_LONG, `bio must be at most ${MAX_BIO_LENGTH} characters; got ${raw.bio.length}`);
    }
    return {
      index,
      network: net,
      handle: name,
      hash: handleHash(net, name),
      followers: count(raw.followers, 'followers'),
      following: count(raw.following, 'following'),
      posts: count(raw.posts, 'posts'),
      createdAt,
      verified: raw.verified === true,
      observedAt,
      codes: raw.bio ? codesInBio(raw.bio) : [],
    };
  });
}
