import { escapeHtml } from '../../core/html';
import { NotificationKind } from './notification-events';

/** One offer of a digest, from the notification's data (offerFactsSql). */
export interface DigestItem {
  kind: NotificationKind;
  perkTitle: string;
  campaignName: string;
  expiresAt: Date;
}

export interface DigestLinks {
  /** The app (APP_URL). The product has no front-end yet: the link names where it will be. */
  app: string;
  /** The one-click unsubscribe link (also in the List-Unsubscribe header). */
  unsubscribe: string;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/** A date as people read it in a mail, in UTC (the mail cannot know their time zone). */
function when(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** A header value without line breaks (a brand's campaign name could otherwise add headers). */
function oneLine(value: string): string {
  return value.replace(/[\r\n\t]+/g, ' ').trim();
}

/**
 * The digest of one sending round: new offers, then offers expiring soon, each with its perk,
 * campaign and expiry; plain text and a simple HTML part saying the same, every value escaped.
 */
export function renderDigest(items: DigestItem[], links: DigestLinks): RenderedMail {
  const fresh = items.filter((i) => i.kind === NotificationKind.OFFER_NEW);
  const expiring = items.filter((i) => i.kind === NotificationKind.OFFER_EXPIRING);
  const parts: string[] = [];
  if (fresh.length) parts.push(fresh.length === 1 ? `a new perk offer: ${fresh[0].perkTitle}` : `${fresh.length} new perk offers`);
  if (expiring.length) parts.push(expiring.length === 1 ? 'an offer expiring soon' : `${expiring.length} offers expiring soon`);
  const subject = oneLine(`Perks: ${parts.join(' and ')}`).slice(0, 200);

  const sections: Array<{ title: string; items: DigestItem[]; verb: string }> = [
    { title: 'New offers for you', items: fresh, verb: 'open until' },
    { title: 'Expiring soon: claim before it is gone', items: expiring, verb: 'expires' },
  ].filter((s) => s.items.length);

  const text = [
    'Hello,',
    '',
    ...sections.flatMap((s) => [
      `${s.title}:`,
      ...s.items.map((i) => `- ${i.perkTitle} (${i.campaignName}), ${s.verb} ${when(i.expiresAt)}`),
      '',
    ]),
    `See and claim them in the app: ${links.app}`,
    '',
    'You get this mail because you switched on e-mail for offers in your notification settings.',
    `Unsubscribe (one click): ${links.unsubscribe}`,
    '',
  ].join('\n');

  const html = [
    '<!doctype html><html><body style="font-family: sans-serif; line-height: 1.4">',
    '<p>Hello,</p>',
    ...sections.map(
      (s) =>
        `<h3>${escapeHtml(s.title)}</h3><ul>${s.items
          .map(
            (i) =>
              `<li><strong>${escapeHtml(i.perkTitle)}</strong> (${escapeHtml(i.campaignName)}), ${s.verb} ${escapeHtml(when(i.expiresAt))}</li>`,
          )
          .join('')}</ul>`,
    ),
    `<p><a href="${escapeHtml(links.app)}">See and claim them in the app</a></p>`,
    '<p style="color: #666; font-size: small">You get this mail because you switched on e-mail for offers in your notification settings. ',
    `<a href="${escapeHtml(links.unsubscribe)}">Unsubscribe</a></p>`,
    '</body></html>',
  ].join('\n');

  return { subject, text, html };
}
