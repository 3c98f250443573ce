import { UnrecoverableError } from 'bullmq';
import type { DataSource } from 'typeorm';
import { SWEEP_LOCK } from '../../core/locks';
import { logger, type Logger } from '../../core/logger';
import { mailFailure, type Mailer } from '../../core/mailer';
import { addJob, type Queues } from '../../core/queues';
import { renderDigest, type DigestItem } from './email-digest';
import { MAILED_KINDS, NotificationKind } from './notification-events';
import type { NotificationsService } from './notifications.service';
import { UnsubscribeTokens, type UnsubscribeScope } from './unsubscribe-token';

export interface EmailSettings {
  /** The app the mails link to (APP_URL). */
  appUrl: string;
  /** This API as mail clients reach it (API_PUBLIC_URL): where unsubscribe links point. */
  apiPublicUrl: string;
  /** How far back the sweep looks for notifications not mailed yet (EMAIL_LOOKBACK_HOURS). */
  lookbackHours: number;
  /** The database's instance id (src/core/instance.ts), carried by job ids. */
  instanceId: string;
}

export const UNSUBSCRIBE_PATH = '/unsubscribe';

/** Messages asked for per sweep; more wait for the next one. */
const ENQUEUE_BATCH = 5_000;

const mailedKinds = `ARRAY[${MAILED_KINDS.map((k) => `'${k}'`).join(', ')}]::notification_kind[]`;

/**
 * Whether notification `n` can still be mailed: its offer is open (OFFERED, not expired, of an
 * ACTIVE campaign: a closed offer is not worth a mail, and is skipped) and the person still wants
 * its kind by e-mail (`p`, their preference row). Read when collecting and again when sending.
 */
const stillMailable = (n: string, p: string) => `${p}.email AND EXISTS (
  SELECT 1 FROM offers o JOIN campaigns k ON k.id = o.campaign_id AND k.status = 'ACTIVE'
  WHERE o.id = (${n}.data->>'offerId')::uuid AND o.status = 'OFFERED' AND o.expires_at > now())`;

export interface SweepReport {
  /** Messages written this round (one per person). */
  collected: number;
  /** PENDING messages asked for (new ones and any whose job Redis lost). */
  requested: number;
  /** PENDING messages older than the look-back window, given up on. */
  expired: number;
}

export type SendReport = { sent: true; offers: number } | { sent: false; skipped: string };

/**
 * New and expiring offers by e-mail (issue 14, item 3), on when SMTP_URL is set.
 *
 * The sweep (every minute, EMAIL_SWEEP_CRON) collects, in one statement, the OFFER_NEW and
 * OFFER_EXPIRING notifications of people with e-mail on for the kind, written since they turned
 * it on, within the look-back window, and not recorded in notification_emails yet: one outbox
 * message per person lists them all (one digest per round). Candidates are the few people with
 * an e-mail preference row (a partial index); their notifications are read through the
 * (influencer_id, id) index, never by scanning notifications. Each PENDING message is then sent
 * by a BullMQ job with retries (send-email).
 *
 * Delivery is at least once: a worker that dies after the relay accepted a message and before it
 * is marked SENT sends it again (same Message-ID). A message that fails for good (a 5xx, or every
 * attempt) is FAILED with the relay's answer, addresses removed.
 */
export class EmailService {
  private readonly tokens: UnsubscribeTokens;
  private readonly log: Logger;

  constructor(
    private readonly dataSource: DataSource,
    private readonly queues: Queues,
    private readonly notifications: NotificationsService,
    private readonly mailer: Mailer | null,
    secret: string,
    private readonly settings: EmailSettings,
  ) {
    this.tokens = new UnsubscribeTokens(secret);
    this.log = logger().child({ module: 'email' });
  }

  unsubscribeUrl(influencerId: string): string {
    return `${this.settings.apiPublicUrl}${UNSUBSCRIBE_PATH}?token=${this.tokens.issue(influencerId)}`;
  }

  /** Collects due mail into the outbox, then asks for every PENDING message. Does nothing while e-mail is off. */
  async sweep(): Promise<SweepReport> {
    const report: SweepReport = { collected: 0, requested: 0, expired: 0 };
    if (!this.mailer) return report;
    report.collected = await this.collect();
    const hours = this.settings.lookbackHours;
    const expired = await this.dataSource.query(
      `WITH x AS (UPDATE email_messages SET status = 'FAILED', finished_at = now(), last_error = $2
                  WHERE status = 'PENDING' AND created_at < now() - make_interval(hours => $1) RETURNING 1)
       SELECT count(*)::int AS n FROM x`,
      [hours, `not sent within ${hours} h`],
    );
    report.expired = expired[0].n;
    const pending: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM email_messages WHERE status = 'PENDING' ORDER BY created_at LIMIT ${ENQUEUE_BATCH}`,
    );
    for (let i = 0; i < pending.length; i += 100) {
      await Promise.all(pending.slice(i, i + 100).map((m) => this.request(m.id)));
    }
    report.requested = pending.length;
    return report;
  }

  /** One job per message (its id is the job id: asking twice is one job); retries with backoff. */
  private async request(messageId: string): Promise<void> {
    await addJob(this.queues.email, 'send-email', { messageId }, this.mailer!.jobOptions(`email-${this.settings.instanceId}-${messageId}`));
  }

  /**
   * One statement under a transaction-scoped advisory lock (two sweeps at once would each build a
   * message for the same rows; the second waits, then sees the first's links). Identity ids
   * commit out of order, so no "after the last id" bookmark: rows of the window not linked yet
   * are due, and a row that committed late is found by the next sweep.
   */
  private async collect(): Promise<number> {
    return this.dataSource.transaction(async (db) => {
      await db.query(`SELECT pg_advisory_xact_lock($1)`, [SWEEP_LOCK]);
      const [{ n }] = await db.query(
        `WITH due AS (
           SELECT n.id, n.influencer_id
           FROM notification_preferences p
           JOIN influencers i ON i.id = p.influencer_id AND i.opted_in_at IS NOT NULL AND i.user_id IS NOT NULL
           CROSS JOIN LATERAL (
             SELECT n.id, n.influencer_id, n.data FROM notifications n
             WHERE n.influencer_id = p.influencer_id AND n.kind = p.kind
               AND n.created_at >= greatest(p.email_since, now() - make_interval(hours => $1))
           ) n
           WHERE p.email AND p.kind = ANY(${mailedKinds})
             AND ${stillMailable('n', 'p')}
             AND NOT EXISTS (SELECT 1 FROM notification_emails e WHERE e.notification_id = n.id)),
         messages AS (
           INSERT INTO email_messages (influencer_id) SELECT DISTINCT influencer_id FROM due RETURNING id, influencer_id),
         linked AS (
           INSERT INTO notification_emails (notification_id, message_id)
           SELECT due.id, m.id FROM due JOIN messages m USING (influencer_id) RETURNING 1)
         SELECT (SELECT count(*)::int FROM messages) AS n, (SELECT count(*) FROM linked) AS links`,
        [this.settings.lookbackHours],
      );
      return n;
    });
  }

  /**
   * The job's work: sends one PENDING message. Reads the recipient and the offers now (the outbox
   * holds neither), and only what is still mailable: a person who switched e-mail off, opted out
   * or was erased meanwhile, or whose offers all closed, is sent nothing (SKIPPED).
   * `attempt` counts from 1; the last one, or a permanent refusal, ends the message FAILED.
   */
  async send(messageId: string, attempt: number, log: Logger = this.log): Promise<SendReport> {
    if (!this.mailer) return { sent: false, skipped: 'e-mail is off (SMTP_URL unset)' };
    const [message]: Array<{ id: string; influencer_id: string; email: string | null }> = await this.dataSource.query(
      `SELECT m.id, m.influencer_id, u.email FROM email_messages m
       LEFT JOIN influencers i ON i.id = m.influencer_id AND i.opted_in_at IS NOT NULL
       LEFT JOIN users u ON u.id = i.user_id
       WHERE m.id = $1 AND m.status = 'PENDING'`,
      [messageId],
    );
    if (!message) return { sent: false, skipped: 'not pending' };
    const rows: Array<{ kind: NotificationKind; data: { perkTitle: string; campaignName: string; expiresAt: string } }> =
      await this.dataSource.query(
        `SELECT n.kind, n.data FROM notification_emails e
         JOIN notifications n ON n.id = e.notification_id
         JOIN notification_preferences p ON p.influencer_id = n.influencer_id AND p.kind = n.kind
         WHERE e.message_id = $1 AND ${stillMailable('n', 'p')}
         ORDER BY n.id`,
        [messageId],
      );
    if (!message.email || rows.length === 0) {
      await this.finish(messageId, 'SKIPPED', null, false);
      return { sent: false, skipped: message.email ? 'nothing left to mail' : 'no recipient' };
    }
    const items: DigestItem[] = rows.map((r) => ({
      kind: r.kind,
      perkTitle: r.data.perkTitle,
      campaignName: r.data.campaignName,
      expiresAt: new Date(r.data.expiresAt),
    }));
    const unsubscribe = this.unsubscribeUrl(message.influencer_id);
    const mail = renderDigest(items, { app: this.settings.appUrl, unsubscribe });
    try {
      await this.mailer.send({
        to: message.email,
        ...mail,
        messageId: `email-${messageId}`,
        // RFC 8058 one-click: a mail client POSTs "List-Unsubscribe=One-Click" to the link.
        headers: { 'List-Unsubscribe': `<${unsubscribe}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
      });
    } catch (error) {
      const failure = mailFailure(error);
      const final = failure.permanent || attempt >= this.mailer.attempts;
      await this.finish(messageId, final ? 'FAILED' : 'PENDING', failure.reason, true);
      log.warn({ messageId, attempt, permanent: failure.permanent, final, reason: failure.reason }, 'e-mail not sent');
      if (final) throw new UnrecoverableError(failure.reason);
      throw new Error(failure.reason);
    }
    await this.finish(messageId, 'SENT', null, true);
    return { sent: true, offers: items.length };
  }

  private async finish(messageId: string, status: 'SENT' | 'FAILED' | 'SKIPPED' | 'PENDING', error: string | null, tried: boolean) {
    await this.dataSource.query(
      `UPDATE email_messages SET status = $2::email_message_status, last_error = $3, attempts = attempts + $4::int,
              finished_at = CASE WHEN $2::email_message_status = 'PENDING' THEN NULL ELSE now() END
       WHERE id = $1 AND status = 'PENDING'`,
      [messageId, status, error, tried ? 1 : 0],
    );
  }

  /** What a token would switch off, without doing it (the confirmation page); null for a bad token. */
  checkUnsubscribe(token: unknown): UnsubscribeScope | null {
    return this.tokens.verify(token);
  }

  /**
   * Switches e-mail off for the token's kinds through the preferences' own upsert. Idempotent; a
   * person erased since the mail has nothing left to switch off, which is done too. Null: a bad token.
   */
  async unsubscribe(token: unknown): Promise<UnsubscribeScope | null> {
    const scope = this.tokens.verify(token);
    if (!scope) return null;
    const [exists] = await this.dataSource.query(`SELECT 1 FROM influencers WHERE id = $1`, [scope.influencerId]);
    if (exists) {
      try {
        await this.notifications.upsertPreferences(
          scope.influencerId,
          scope.kinds.map((kind) => ({ kind, email: false })),
        );
      } catch (error) {
        // Erased between the check and the write: the foreign key refuses, and there is nothing to mail anyway.
        if ((error as { code?: string }).code !== '23503') throw error;
      }
    }
    return scope;
  }
}
