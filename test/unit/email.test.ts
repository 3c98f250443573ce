import { ConfigError, loadEnv } from '../../src/core/env';
import { mailFailure } from '../../src/core/mailer';
import { renderDigest } from '../../src/modules/notifications/email-digest';
import { NotificationKind } from '../../src/modules/notifications/notification-events';
import { UnsubscribeTokens } from '../../src/modules/notifications/unsubscribe-token';

const problemsOf = (source: Record<string, string>): string[] => {
  try {
    loadEnv(source);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
};

describe('e-mail configuration', () => {
  it('is off without SMTP_URL and takes smtp:// and smtps:// URLs', () => {
    expect(loadEnv({})).toMatchObject({ SMTP_URL: undefined, SMTP_FROM: 'Perks <no-reply@perks.local>', APP_URL: 'http://localhost:3000' });
    expect(loadEnv({ SMTP_URL: 'smtps://u:p@smtp.example.com:465' }).SMTP_URL).toBe('smtps://u:p@smtp.example.com:465');
    expect(loadEnv({ SMTP_URL: 'smtp://127.0.0.1:1025', SMTP_FROM: 'offers@example.com' }).SMTP_FROM).toBe('offers@example.com');
  });

  it('refuses a bad SMTP_URL without repeating it (it may hold a password), and a bad SMTP_FROM', () => {
    const problems = problemsOf({ SMTP_URL: 'http://user:hunter2@smtp.example.com', SMTP_FROM: 'nobody' });
    expect(problems).toEqual([
      expect.stringMatching(/^SMTP_URL must be a URL like smtp:\/\/user:password@smtp\.example\.com:587/),
      'SMTP_FROM must be an address or "Name <address>" (got "nobody")',
    ]);
    expect(problems.join(' ')).not.toContain('hunter2');
    expect(problemsOf({ SMTP_URL: 'not a url' })).toHaveLength(1);
  });
});

describe('unsubscribe tokens', () => {
  const id = '0b8e4c1a-3f57-4d2b-9a51-6d0f4e2c7a10';
  const tokens = new UnsubscribeTokens('a-secret-of-at-least-thirty-two-characters');

  it('name the influencer and the kinds, and verify only as issued by the same secret', () => {
    expect(tokens.verify(tokens.issue(id))).toEqual({ influencerId: id, kinds: ['OFFER_NEW', 'OFFER_EXPIRING'] });
    expect(tokens.verify(tokens.issue(id, [NotificationKind.OFFER_NEW]))).toEqual({ influencerId: id, kinds: ['OFFER_NEW'] });
    const token = tokens.issue(id);
    const [version, body, signature] = token.split('.');
    const flipped = `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
    for (const bad of [
      `${version}.${body}.${flipped}`,
      `v2.${body}.${signature}`,
      `${version}.${body}`,
      `${token}.x`,
      new UnsubscribeTokens('another-secret-of-at-least-thirty-two-chars').issue(id),
      '',
      undefined,
      ['a', 'b'],
    ]) {
      expect(tokens.verify(bad)).toBeNull();
    }
    // A signed payload that is not a person's id is refused too.
    expect(tokens.verify(tokens.issue('not-a-uuid'))).toBeNull();
  });
});

describe('mail failures', () => {
  it('keep the code and answer, blank every address and URL credential, and tell permanent from temporary', () => {
    const refused = mailFailure(
      Object.assign(new Error('Can not send'), {
        code: 'EENVELOPE',
        responseCode: 550,
        response: '550 5.1.1 <ann.b@example.com>: no such user',
      }),
    );
    expect(refused).toEqual({ permanent: true, reason: 'EENVELOPE: 550 5.1.1 <<address>>: no such user' });
    const later = mailFailure(Object.assign(new Error('connect ECONNREFUSED smtp://bob:pw@relay:25'), { code: 'ESOCKET' }));
    expect(later.permanent).toBe(false);
    expect(later.reason).not.toContain('pw');
    expect(mailFailure(Object.assign(new Error('x'), { responseCode: 451, response: '451 busy' })).permanent).toBe(false);
  });
});

describe('the digest', () => {
  it('lists new and expiring offers in text and escaped HTML', () => {
    const at = new Date('2026-12-05T10:30:00Z');
    const mail = renderDigest(
      [
        { kind: NotificationKind.OFFER_NEW, perkTitle: 'Pass <script>', campaignName: 'A & B', expiresAt: at },
        { kind: NotificationKind.OFFER_NEW, perkTitle: 'Phone', campaignName: 'Tech', expiresAt: at },
        { kind: NotificationKind.OFFER_EXPIRING, perkTitle: 'Dinner', campaignName: 'Food\r\nBcc: x@y', expiresAt: at },
      ],
      { app: 'https://app.example.com', unsubscribe: 'https://api.example.com/unsubscribe?token=t&x="' },
    );
    expect(mail.subject).toBe('Perks: 2 new perk offers and an offer expiring soon');
    expect(mail.text).toContain('- Pass <script> (A & B), open until 2026-12-05 10:30 UTC');
    expect(mail.text).toContain('Expiring soon');
    expect(mail.html).toContain('<strong>Pass &lt;script&gt;</strong> (A &amp; B)');
    expect(mail.html).toContain('href="https://api.example.com/unsubscribe?token=t&amp;x=&quot;"');
    expect(mail.html).not.toContain('<script>');
    expect(
      renderDigest([{ kind: NotificationKind.OFFER_NEW, perkTitle: 'Line\r\nBcc: x@y', campaignName: 'c', expiresAt: at }], {
        app: 'a',
        unsubscribe: 'u',
      }).subject,
    ).toBe('Perks: a new perk offer: Line Bcc: x@y');
  });
});
