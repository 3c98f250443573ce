import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import type { DataSource } from 'typeorm';
import type { Logger } from '../../core/logger';
import { AUTO_DISABLED_REASON_PREFIX } from './disabled-notice';
import { signatureHeader } from './signature';
import { guardedLookup, isPublicAddress } from './url-guard';

export interface DeliverySettings {
  allowPrivateUrls: boolean;
  /** First retry delay; each next one doubles (WEBHOOK_RETRY_BASE_MS). */
  retryBaseMs: number;
  /** How long after its event a delivery is retried, and how long an endpoint may fail before it is disabled. */
  retryWindowMs: number;
  /** One request's deadline, answer included (WEBHOOK_TIMEOUT_MS). */
  timeoutMs: number;
}

/** Answers are read up to this much, then dropped: a receiver cannot make us hold its payload. */
const MAX_RESPONSE_BYTES = 4096;
/** A run stops after this many failures in a row (the endpoint is likely down) and tries again later. */
const MAX_FAILURES_PER_RUN = 3;
const USER_AGENT = 'Perks-Webhooks/1';

export interface PostOutcome {
  ok: boolean;
  code: number | null;
  /** Short, without secrets or the receiver's body. */
  error: string | null;
}

/**
 * One POST. Success is any 2xx; redirects are not followed (a 3xx is a failure: the URL should be
 * the final one); the answer's body is read up to 4 KB and dropped. With the guard on, the address
 * connected to is checked by the request's own lookup (and an IP literal here).
 */
export function postWebhook(url: string, body: string, headers: Record<string, string>, settings: DeliverySettings): Promise<PostOutcome> {
  return new Promise((resolve) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return resolve({ ok: false, code: null, error: 'invalid URL' });
    }
    const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
    if (!settings.allowPrivateUrls && isIP(host) && !isPublicAddress(host)) {
      return resolve({ ok: false, code: null, error: 'refused: private address' });
    }
    const client = parsed.protocol === 'https:' ? https : http;
    let settled = false;
    const done = (outcome: PostOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const request = client.request(
      parsed,
      {
        method: 'POST',
        headers: { ...headers, 'Content-Length': Buffer.byteLength(body).toString() },
        ...(settings.allowPrivateUrls ? {} : { lookup: guardedLookup }),
        agent: false,
      },
      (response) => {
        const code = response.statusCode ?? null;
        let read = 0;
        const finish = () => {
          const ok = code !== null && code >= 200 && code < 300;
          done({
            ok,
            code,
            error: ok ? null : code !== null && code >= 300 && code < 400 ? `redirect (${code}) not followed` : `HTTP ${code}`,
          });
          response.destroy();
        };
        response.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_RESPONSE_BYTES) finish();
        });
        response.on('end', finish);
        response.on('error', finish);
      },
    );
    const timer = setTimeout(() => {
      done({ ok: false, code: null, error: `no answer within ${settings.timeoutMs} ms` });
      request.destroy();
    }, settings.timeoutMs);
    request.on('error', (error: NodeJS.ErrnoException) => {
      const reason = error.code === 'EPRIVATEADDRESS' ? 'refused: host resolves to a private address' : (error.code ?? 'connection failed');
      done({ ok: false, code: null, error: reason.slice(0, 200) });
    });
    request.end(body);
  });
}

/**
 * When a delivery that just failed is tried again: the base delay doubling with each attempt,
 * within the retry window of its event, the last attempt at the window's end; null past it (FAILED).
 */
export function nextAttemptAt(attempts: number, eventCreatedAt: Date, now: Date, settings: DeliverySettings): Date | null {
  const deadline = eventCreatedAt.getTime() + settings.retryWindowMs;
  if (now.getTime() >= deadline) return null;
  const delay = settings.retryBaseMs * 2 ** Math.min(Math.max(attempts - 1, 0), 40);
  return new Date(Math.min(now.getTime() + delay, deadline));
}

interface LeasedEndpoint {
  id: string;
  url: string;
  secret: string;
}

interface ReadyDelivery {
  id: string;
  attempts: number;
  event_id: string;
  type: string;
  data: unknown;
  event_created_at: Date;
}

export interface RunReport {
  delivered: number;
  failed: number;
  skipped?: string;
  /** The run stopped after failures in a row (the endpoint is likely down). */
  stoppedOnFailures: boolean;
  /** When the endpoint's next pending delivery is due (database clock, ms since the epoch and from now), if any. */
  next: { atMs: number; inMs: number } | null;
}

/**
 * Delivers one endpoint's ready PENDING deliveries, oldest event first, one at a time, under a
 * lease on the endpoint row (one runner per endpoint, whichever process; a dead runner's lease
 * expires). A failed delivery is rescheduled and the next ones go on, so a retry may arrive after
 * later events; on the happy path an endpoint gets its events in order.
 */
export class WebhookDeliverer {
  /** `onDisabled`: called after the commit that disabled an endpoint for failing the whole window. */
  constructor(
    private readonly dataSource: DataSource,
    private readonly settings: DeliverySettings,
    private readonly onDisabled?: (endpointId: string, disabledAt: Date) => void,
  ) {}

  /** Long enough for one request and its bookkeeping; renewed before each delivery. */
  private get leaseMs(): number {
    return this.settings.timeoutMs + 30_000;
  }

  async run(endpointId: string, log?: Logger): Promise<RunReport> {
    const report: RunReport = { delivered: 0, failed: 0, stoppedOnFailures: false, next: null };
    const token = (await this.dataSource.query(`SELECT gen_random_uuid() AS t`))[0].t as string;
    for (;;) {
      const endpoint = await this.lease(endpointId, token);
      if (!endpoint) {
        report.skipped = 'endpoint leased by another runner, disabled or gone';
        break;
      }
      let failuresInARow = 0;
      try {
        for (;;) {
          const [delivery]: ReadyDelivery[] = await this.dataSource.query(
            `SELECT d.id, d.attempts, ev.id AS event_id, ev.type, ev.data, ev.created_at AS event_created_at
             FROM webhook_deliveries d JOIN webhook_events ev ON ev.id = d.event_id
             WHERE d.endpoint_id = $1 AND d.status = 'PENDING' AND d.next_attempt_at <= now()
             ORDER BY d.event_seq LIMIT 1`,
            [endpointId],
          );
          if (!delivery) break;
          const ok = await this.attempt(endpoint, delivery, log);
          if (ok) {
            report.delivered++;
            failuresInARow = 0;
          } else {
            report.failed++;
            if (++failuresInARow >= MAX_FAILURES_PER_RUN || !(await this.renew(endpointId, token))) break;
            continue;
          }
          if (!(await this.renew(endpointId, token))) break;
        }
      } finally {
        await this.dataSource.query(
          `UPDATE webhook_endpoints SET lease_token = NULL, lease_until = NULL WHERE id = $1 AND lease_token = $2`,
          [endpointId, token],
        );
      }
      if (failuresInARow >= MAX_FAILURES_PER_RUN) {
        report.stoppedOnFailures = true;
        break;
      }
      // Rows that became ready while the lease was being released would wait for the next trigger: look once more.
      const [again] = await this.dataSource.query(
        `SELECT 1 FROM webhook_deliveries WHERE endpoint_id = $1 AND status = 'PENDING' AND next_attempt_at <= now() LIMIT 1`,
        [endpointId],
      );
      if (!again) break;
    }
    const [next] = await this.dataSource.query(
      `SELECT extract(epoch FROM min(next_attempt_at)) * 1000 AS at_ms,
              greatest(0, extract(epoch FROM min(next_attempt_at) - now()) * 1000) AS in_ms
       FROM webhook_deliveries WHERE endpoint_id = $1 AND status = 'PENDING'`,
      [endpointId],
    );
    if (next?.at_ms != null) report.next = { atMs: Math.round(Number(next.at_ms)), inMs: Math.ceil(Number(next.in_ms)) };
    return report;
  }

  private async lease(endpointId: string, token: string): Promise<LeasedEndpoint | null> {
    const [row] = await this.dataSource.query(
      `WITH u AS (UPDATE webhook_endpoints SET lease_token = $2, lease_until = now() + make_interval(secs => $3::float8 / 1000)
                  WHERE id = $1 AND status = 'ENABLED' AND (lease_until IS NULL OR lease_until < now())
                  RETURNING id, url, secret)
       SELECT * FROM u`,
      [endpointId, token, this.leaseMs],
    );
    return row ?? null;
  }

  private async renew(endpointId: string, token: string): Promise<boolean> {
    const rows = await this.dataSource.query(
      `WITH u AS (UPDATE webhook_endpoints SET lease_until = now() + make_interval(secs => $3::float8 / 1000)
                  WHERE id = $1 AND lease_token = $2 AND status = 'ENABLED' RETURNING 1)
       SELECT * FROM u`,
      [endpointId, token, this.leaseMs],
    );
    return rows.length > 0;
  }

  /** One attempt and its bookkeeping. True when delivered. */
  private async attempt(endpoint: LeasedEndpoint, delivery: ReadyDelivery, log?: Logger): Promise<boolean> {
    const body = JSON.stringify({ id: delivery.event_id, type: delivery.type, createdAt: delivery.event_created_at, data: delivery.data });
    const outcome = await postWebhook(
      endpoint.url,
      body,
      {
        'Content-Type': 'application/json',
        'User-Agent': USER_AGENT,
        'X-Perks-Event-Id': delivery.event_id,
        'X-Perks-Signature': signatureHeader(endpoint.secret, body, Math.floor(Date.now() / 1000)),
      },
      this.settings,
    );
    if (outcome.ok) {
      await this.dataSource.transaction(async (db) => {
        await db.query(
          `UPDATE webhook_deliveries SET status = 'SUCCEEDED', attempts = attempts + 1, last_attempt_at = now(), delivered_at = now(),
                  next_attempt_at = NULL, last_response_code = $2, last_error = NULL
           WHERE id = $1 AND status = 'PENDING'`,
          [delivery.id, outcome.code],
        );
        await db.query(`UPDATE webhook_endpoints SET failing_since = NULL WHERE id = $1 AND failing_since IS NOT NULL`, [endpoint.id]);
      });
      return true;
    }
    const now = new Date();
    const next = nextAttemptAt(delivery.attempts + 1, new Date(delivery.event_created_at), now, this.settings);
    const disabledAt = await this.dataSource.transaction(async (db): Promise<Date | null> => {
      await db.query(
        `UPDATE webhook_deliveries SET attempts = attempts + 1, last_attempt_at = now(), last_response_code = $2, last_error = $3,
                status = CASE WHEN $4::timestamptz IS NULL THEN 'FAILED'::webhook_delivery_status ELSE status END,
                next_attempt_at = $4::timestamptz
         WHERE id = $1 AND status = 'PENDING'`,
        [delivery.id, outcome.code, outcome.error, next],
      );
      // An endpoint failing for the whole window is disabled; its pending deliveries fail with it.
      const [disabled] = await db.query(
        `WITH u AS (UPDATE webhook_endpoints SET
           failing_since = coalesce(failing_since, now()),
           status = CASE WHEN failing_since <= now() - make_interval(secs => $2::float8 / 1000) THEN 'DISABLED'::webhook_endpoint_status ELSE status END,
           disabled_at = CASE WHEN failing_since <= now() - make_interval(secs => $2::float8 / 1000) THEN now() ELSE disabled_at END,
           disabled_reason = CASE WHEN failing_since <= now() - make_interval(secs => $2::float8 / 1000)
             THEN $3 || to_char(failing_since AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || ': enable it again once it answers'
             ELSE disabled_reason END
         WHERE id = $1 AND status = 'ENABLED'
         RETURNING status = 'DISABLED' AS disabled, organization_id, disabled_at)
         SELECT * FROM u`,
        [endpoint.id, this.settings.retryWindowMs, AUTO_DISABLED_REASON_PREFIX],
      );
      if (disabled?.disabled) {
        await db.query(
          `UPDATE webhook_deliveries SET status = 'FAILED', next_attempt_at = NULL, last_error = coalesce(last_error, 'endpoint disabled')
           WHERE endpoint_id = $1 AND status = 'PENDING'`,
          [endpoint.id],
        );
        // Its owner is told: the endpoint shows DISABLED with the reason, and its managers get a mail (onDisabled).
        log?.warn(
          { endpointId: endpoint.id, organizationId: disabled.organization_id },
          'webhook endpoint disabled: it failed for the whole retry window',
        );
        return disabled.disabled_at as Date;
      }
      return null;
    });
    if (disabledAt) this.onDisabled?.(endpoint.id, disabledAt);
    log?.info(
      { endpointId: endpoint.id, deliveryId: delivery.id, code: outcome.code, error: outcome.error, retry: next !== null },
      'webhook delivery failed',
    );
    return false;
  }
}
