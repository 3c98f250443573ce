import { createHmac, timingSafeEqual } from 'node:crypto';
import { isUuid } from '../../core/ids';
import { MAILED_KINDS, NotificationKind } from './notification-events';

/**
 * The signed token of a one-click unsubscribe link: `v1.<payload>.<signature>`, base64url, where
 * the payload names the influencer and the kinds to switch off ("all": every kind that is mailed)
 * and the signature is an HMAC-SHA256 under a key derived from JWT_SECRET with a label of its own
 * (a token of one use can never pass for another's). No expiry: a link in an old mail keeps
 * working, and using it twice changes nothing. The version lets the format change while old links
 * still verify; rotating JWT_SECRET voids the links already sent.
 */
const VERSION = 'v1';
const LABEL = 'perks/unsubscribe/v1';

export interface UnsubscribeScope {
  influencerId: string;
  kinds: NotificationKind[];
}

export class UnsubscribeTokens {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = createHmac('sha256', secret).update(LABEL).digest();
  }

  private sign(body: string): string {
    return createHmac('sha256', this.key).update(`${VERSION}.${body}`).digest('base64url');
  }

  /** A token for these kinds, or for every mailed kind. */
  issue(influencerId: string, kinds: readonly NotificationKind[] | 'all' = 'all'): string {
    const body = Buffer.from(JSON.stringify({ i: influencerId, k: kinds })).toString('base64url');
    return `${VERSION}.${body}.${this.sign(body)}`;
  }

  /** What a token names, or null for anything not issued here (malformed, forged, another version). */
  verify(token: unknown): UnsubscribeScope | null {
    if (typeof token !== 'string' || token.length > 1000) return null;
    const [version, body, signature, ...rest] = token.split('.');
    if (version !== VERSION || !body || !signature || rest.length) return null;
    const expected = Buffer.from(this.sign(body));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    try {
      const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { i?: unknown; k?: unknown };
      if (typeof payload.i !== 'string' || !isUuid(payload.i)) return null;
      if (payload.k === 'all') return { influencerId: payload.i, kinds: [...MAILED_KINDS] };
      const kinds = Array.isArray(payload.k) ? payload.k : [];
      if (!kinds.length || !kinds.every((k) => (Object.values(NotificationKind) as unknown[]).includes(k))) return null;
      return { influencerId: payload.i, kinds: [...new Set(kinds as NotificationKind[])] };
    } catch {
      return null;
    }
  }
}
