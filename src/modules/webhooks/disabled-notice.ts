import type { DataSource } from 'typeorm';
import type { Logger } from '../../core/logger';
import type { Mailer } from '../../core/mailer';
import { addJob, type Queues } from '../../core/queues';
import { escapeHtml } from '../../core/html';

/** How the deliverer words an automatic disable (and how the sweep tells it from a manager's). */
export const AUTO_DISABLED_REASON_PREFIX = 'every delivery failed since ';

interface DisabledEndpoint {
  id: string;
  url: string;
  description: string;
  disabled_at: Date;
  /** Exact (microseconds): the marker must equal it. */
  disabled_at_text: string;
  disabled_reason: string;
  organization: string;
}

/** The URL as the mail shows it: no query (it may carry the receiver's token) and no credentials. */
function shownUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

/**
 * The mail to the managers of an organisation (its members) when one of its webhook endpoints is
 * disabled for failing the whole retry window: once per disable (webhook_endpoints.disabled_mailed_at),
 * through the same mailer as the digests, only while SMTP_URL is set. A manager's own disable is
 * not mailed. Asked for after the disable commits; the webhook sweep asks again for an unmailed
 * disable of the last day (Redis lost the job). At least once, like every mail.
 */
export class DisabledEndpointNotices {
  constructor(
    private readonly dataSource: DataSource,
    private readonly queues: Queues,
    private readonly mailer: Mailer | null,
    private readonly instanceId: string,
  ) {}

  /** Best effort: the sweep asks again. One job per disable (the job id). */
  async request(endpointId: string, disabledAt: Date): Promise<void> {
    if (!this.mailer) return;
    await addJob(
      this.queues.email,
      'mail-webhook-disabled',
      { endpointId },
      this.mailer.jobOptions(`webhook-disabled-${this.instanceId}-${endpointId}-${disabledAt.getTime()}`),
    );
  }

  /** Endpoints disabled automatically in the last day whose managers were not mailed yet. */
  async sweep(): Promise<number> {
    if (!this.mailer) return 0;
    const rows: Array<{ id: string; disabled_at: Date }> = await this.dataSource.query(
      `SELECT id, disabled_at FROM webhook_endpoints
       WHERE status = 'DISABLED' AND disabled_at > now() - interval '1 day' AND starts_with(disabled_reason, $1)
         AND disabled_mailed_at IS DISTINCT FROM disabled_at`,
      [AUTO_DISABLED_REASON_PREFIX],
    );
    for (const row of rows) await this.request(row.id, row.disabled_at);
    return rows.length;
  }

  /** The job's work. Nothing when the endpoint was enabled again, deleted, or its disable already mailed. */
  async send(endpointId: string, log?: Logger): Promise<{ mailed: number }> {
    if (!this.mailer) return { mailed: 0 };
    const [endpoint]: DisabledEndpoint[] = await this.dataSource.query(
      `SELECT e.id, e.url, e.description, e.disabled_at, e.disabled_at::text AS disabled_at_text, e.disabled_reason, o.name AS organization
       FROM webhook_endpoints e JOIN organizations o ON o.id = e.organization_id
       WHERE e.id = $1 AND e.status = 'DISABLED' AND starts_with(e.disabled_reason, $2)
         AND e.disabled_mailed_at IS DISTINCT FROM e.disabled_at`,
      [endpointId, AUTO_DISABLED_REASON_PREFIX],
    );
    if (!endpoint) return { mailed: 0 };
    const managers: Array<{ email: string }> = await this.dataSource.query(
      `SELECT u.email FROM memberships m JOIN users u ON u.id = m.user_id JOIN webhook_endpoints e ON e.organization_id = m.organization_id
       WHERE e.id = $1 ORDER BY u.email`,
      [endpointId],
    );
    if (managers.length) {
      const url = shownUrl(endpoint.url);
      const what = endpoint.description ? `${endpoint.description} (${url})` : url;
      const text = [
        'Hello,',
        '',
        `The webhook endpoint ${what} of ${endpoint.organization} was disabled: ${endpoint.disabled_reason}.`,
        'Events are no longer sent to it, and the deliveries that were waiting failed with it.',
        'Once it answers again, enable it with updateWebhookEndpoint(id, { enabled: true }).',
        '',
        `Endpoint id: ${endpoint.id}`,
        '',
      ].join('\n');
      // Every member gets the same notice: the managers of one organisation, in one message.
      await this.mailer.send({
        to: managers.map((m) => m.email),
        subject: `Perks: webhook endpoint disabled (${url})`.replace(/[\r\n]+/g, ' ').slice(0, 200),
        text,
        html: `<!doctype html><html><body style="font-family: sans-serif">${text
          .split('\n')
          .map((line) => (line ? `<p>${escapeHtml(line)}</p>` : ''))
          .join('')}</body></html>`,
        messageId: `webhook-disabled-${endpoint.id}-${endpoint.disabled_at.getTime()}`,
      });
    }
    await this.dataSource.query(
      `UPDATE webhook_endpoints SET disabled_mailed_at = disabled_at WHERE id = $1 AND disabled_at = $2::timestamptz`,
      [endpoint.id, endpoint.disabled_at_text],
    );
    log?.info({ endpointId, managers: managers.length }, 'webhook endpoint disabled: managers mailed');
    return { mailed: managers.length };
  }
}
