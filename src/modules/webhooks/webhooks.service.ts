import type { DataSource } from 'typeorm';
import { decodeKeysetCursor, encodeCursor, pastTimestampCursorSql, toConnection } from '../../core/connection';
import { Role, type UserPrincipal } from '../../core/context';
import { notFound } from '../../core/errors';
import { isUuid } from '../../core/ids';
import { logger, type Logger } from '../../core/logger';
import type { Mailer } from '../../core/mailer';
import { addJob, type Queues } from '../../core/queues';
import { DisabledEndpointNotices } from './disabled-notice';
import { newWebhookSecret } from './signature';
import { webhookUrlProblem, type ResolveHost } from './url-guard';
import { WebhookDeliverer, type DeliverySettings, type RunReport } from './webhook-delivery';
import { WebhookEndpoint, WebhookEndpointStatus } from './webhook-endpoint.entity';
import type { WebhookEventType } from './webhook-events';
import { InvalidWebhookUrlError } from './webhooks.errors';
import {
  WebhookDelivery,
  WebhookDeliveryConnection,
  WebhookEndpointCreated,
  WebhookEndpointUpdated,
  type CreateWebhookEndpointInput,
  type UpdateWebhookEndpointInput,
  type WebhookDeliveriesArgs,
} from './webhooks.types';

export interface WebhookSettings extends DeliverySettings {
  /** In production, https is required (unless allowPrivateUrls). */
  production: boolean;
  /** The database's instance id (src/core/instance.ts), carried by job ids. */
  instanceId: string;
}

/**
 * Webhook endpoints (managed by the members of their organisation and by operators) and the
 * delivery of the events recorded for them (webhook-events.ts writes them in the transactions of
 * the changes they report; WebhookDeliverer posts them).
 */
export class WebhooksService {
  private readonly deliverer: WebhookDeliverer;
  private readonly log: Logger;
  private readonly inFlight = new Map<string, { again: boolean; done: Promise<void> }>();
  /** The mail to an organisation's managers when an endpoint is disabled (null mailer: e-mail is off). */
  readonly notices: DisabledEndpointNotices;

  constructor(
    private readonly dataSource: DataSource,
    private readonly queues: Queues,
    private readonly settings: WebhookSettings,
    mailer: Mailer | null,
    private readonly resolveHost?: ResolveHost,
  ) {
    this.notices = new DisabledEndpointNotices(dataSource, queues, mailer, settings.instanceId);
    this.deliverer = new WebhookDeliverer(dataSource, settings, (endpointId, disabledAt) => {
      this.notices
        .request(endpointId, disabledAt)
        .catch((error: unknown) =>
          this.log.warn(
            { endpointId, err: (error as Error).message },
            'Redis did not take the disabled-endpoint mail; the sweep will ask again',
          ),
        );
    });
    this.log = logger().child({ module: 'webhooks' });
  }

  // ----- delivery -----

  /**
   * Asks for delivery to these endpoints, after the commit that wrote their deliveries. Best effort
   * and not awaited: the caller's answer never waits for Redis (the claim path measured about 40%
   * slower when it did), and when Redis does not take the job (or the process dies first) the rows
   * wait in Postgres for the sweep (WEBHOOK_SWEEP_CRON, a minute).
   */
  requestDelivery(endpointIds: readonly string[] | null | undefined): void {
    for (const endpointId of endpointIds ?? []) void this.nudge(endpointId);
  }

  /**
   * Requests for one endpoint coalesce in this process: while an enqueue is in flight, the next
   * callers share one more enqueue that starts after it (so after their commits). A hot campaign's
   * claims then cost a few Redis round trips per round-trip time, not one each.
   */
  private nudge(endpointId: string): Promise<void> {
    const current = this.inFlight.get(endpointId);
    if (current) {
      current.again = true;
      return current.done;
    }
    const state = { again: false, done: Promise.resolve() };
    state.done = (async () => {
      try {
        do {
          state.again = false;
          await addJob(
            this.queues.webhooks,
            'deliver-webhooks',
            { endpointId },
            { deduplication: { id: `webhooks-${this.settings.instanceId}-${endpointId}`, keepLastIfActive: true } },
          ).catch((error: unknown) =>
            this.log.warn(
              { endpointId, err: (error as Error).message },
              'Redis did not take a webhook delivery job; the sweep will deliver',
            ),
          );
        } while (state.again);
      } finally {
        this.inFlight.delete(endpointId);
      }
    })();
    this.inFlight.set(endpointId, state);
    return state.done;
  }

  /** The job's work: delivers what is ready for the endpoint, then schedules the next retry (if any) as a delayed job. */
  async deliverEndpoint(endpointId: string, log?: Logger): Promise<RunReport> {
    const report = await this.deliverer.run(endpointId, log);
    if (report.next) {
      let delay = report.next.inMs;
      // Ready rows the run left (after failures in a row) wait a base delay: no busy loop against a dead host.
      if (report.stoppedOnFailures) delay = Math.max(delay, this.settings.retryBaseMs);
      // Another runner holds the lease: it looks again before it lets go.
      const ownedElsewhere = report.skipped !== undefined && delay === 0;
      if (!ownedElsewhere) {
        const at = report.next.atMs + (delay - report.next.inMs);
        await addJob(
          this.queues.webhooks,
          'deliver-webhooks',
          { endpointId },
          {
            jobId: `webhooks-${this.settings.instanceId}-${endpointId}-${at}`,
            delay: delay + 50,
          },
        );
      }
    }
    return report;
  }

  /**
   * Every minute (and when Redis lost its jobs): asks for delivery to every endpoint with a ready
   * PENDING delivery. Covers a process that died between a commit and its enqueue, a retry job
   * Redis lost, and a lease left by a dead runner (it expires). Asks again for the mail of a
   * disable not mailed yet.
   */
  async sweep(): Promise<number> {
    const rows: Array<{ endpoint_id: string }> = await this.dataSource.query(
      `SELECT DISTINCT d.endpoint_id FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
       WHERE d.status = 'PENDING' AND d.next_attempt_at <= now() AND e.status = 'ENABLED'
         AND (e.lease_until IS NULL OR e.lease_until < now())`,
    );
    const ids = rows.map((r) => r.endpoint_id);
    for (let i = 0; i < ids.length; i += 100) await Promise.all(ids.slice(i, i + 100).map((id) => this.nudge(id)));
    await this.notices
      .sweep()
      .catch((error: unknown) => this.log.warn({ err: (error as Error).message }, 'could not ask for disabled-endpoint mails; next sweep'));
    return ids.length;
  }

  // ----- management -----

  /** Whether the person manages the organisation's endpoints: its members, and operators. */
  private async canManage(principal: UserPrincipal, organizationId: string): Promise<boolean> {
    if (!isUuid(organizationId)) return false;
    const [row] =
      principal.role === Role.ADMIN
        ? await this.dataSource.query(`SELECT EXISTS (SELECT 1 FROM organizations WHERE id = $1) AS ok`, [organizationId])
        : await this.dataSource.query(`SELECT EXISTS (SELECT 1 FROM memberships WHERE organization_id = $1 AND user_id = $2) AS ok`, [
            organizationId,
            principal.userId,
          ]);
    return row.ok;
  }

  /** An endpoint the person manages; anyone else is told it does not exist. */
  async visibleEndpoint(principal: UserPrincipal, id: string): Promise<WebhookEndpoint> {
    const endpoint = isUuid(id) ? await this.dataSource.getRepository(WebhookEndpoint).findOneBy({ id }) : null;
    if (!endpoint || !(await this.canManage(principal, endpoint.organizationId))) throw notFound('Webhook endpoint');
    return endpoint;
  }

  async list(principal: UserPrincipal, organizationId: string): Promise<WebhookEndpoint[]> {
    if (!(await this.canManage(principal, organizationId))) throw notFound('Organization');
    return this.dataSource.getRepository(WebhookEndpoint).find({ where: { organizationId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  private urlProblem(url: string): Promise<string | null> {
    return webhookUrlProblem(url, { allowPrivate: this.settings.allowPrivateUrls, production: this.settings.production }, this.resolveHost);
  }

  async create(principal: UserPrincipal, input: CreateWebhookEndpointInput): Promise<WebhookEndpointCreated | InvalidWebhookUrlError> {
    if (!(await this.canManage(principal, input.organizationId))) throw notFound('Organization');
    const url = input.url.trim();
    const problem = await this.urlProblem(url);
    if (problem) return new InvalidWebhookUrlError(problem);
    const secret = newWebhookSecret();
    const repo = this.dataSource.getRepository(WebhookEndpoint);
    const saved = await repo.save(
      repo.create({
        organizationId: input.organizationId,
        url,
        description: input.description?.trim() ?? '',
        events: uniqueEvents(input.events),
        secret,
        status: WebhookEndpointStatus.ENABLED,
        disabledAt: null,
        disabledReason: null,
        failingSince: null,
        createdBy: principal.userId,
      }),
    );
    const endpoint = await repo.findOneByOrFail({ id: saved.id });
    return Object.assign(new WebhookEndpointCreated(), { endpoint, secret });
  }

  async update(
    principal: UserPrincipal,
    id: string,
    input: UpdateWebhookEndpointInput,
  ): Promise<WebhookEndpointUpdated | InvalidWebhookUrlError> {
    const endpoint = await this.visibleEndpoint(principal, id);
    const sets: string[] = [];
    const params: unknown[] = [id];
    const set = (column: string, value: unknown, cast = '') => {
      params.push(value);
      sets.push(`${column} = $${params.length}${cast}`);
    };
    if (input.url !== undefined) {
      const url = input.url.trim();
      const problem = await this.urlProblem(url);
      if (problem) return new InvalidWebhookUrlError(problem);
      set('url', url);
    }
    if (input.events !== undefined) set('events', uniqueEvents(input.events), '::text[]');
    if (input.description !== undefined) set('description', input.description.trim());
    let secret: string | null = null;
    if (input.rotateSecret) set('secret', (secret = newWebhookSecret()));
    if (input.enabled === true) {
      sets.push(`status = 'ENABLED', disabled_at = NULL, disabled_reason = NULL, failing_since = NULL`);
    } else if (input.enabled === false) {
      set('disabled_reason', 'disabled by a manager');
      sets.push(`status = 'DISABLED', disabled_at = coalesce(disabled_at, now()), lease_token = NULL, lease_until = NULL`);
    }
    if (sets.length) {
      await this.dataSource.transaction(async (db) => {
        await db.query(`UPDATE webhook_endpoints SET ${sets.join(', ')}, updated_at = now() WHERE id = $1`, params);
        if (input.enabled === false) {
          await db.query(
            `UPDATE webhook_deliveries SET status = 'FAILED', next_attempt_at = NULL, last_error = coalesce(last_error, 'endpoint disabled')
             WHERE endpoint_id = $1 AND status = 'PENDING'`,
            [id],
          );
        }
      });
    }
    const current = await this.dataSource.getRepository(WebhookEndpoint).findOneByOrFail({ id: endpoint.id });
    return Object.assign(new WebhookEndpointUpdated(), { endpoint: current, secret });
  }

  /** Deletes the endpoint with its deliveries (their history goes with it); the events stay for the other endpoints. */
  async delete(principal: UserPrincipal, id: string): Promise<boolean> {
    const endpoint = await this.visibleEndpoint(principal, id);
    await this.dataSource.query(`DELETE FROM webhook_endpoints WHERE id = $1`, [endpoint.id]);
    return true;
  }

  /** An endpoint's deliveries, newest first, in keyset pages on (created_at, id). */
  async deliveries(principal: UserPrincipal, args: WebhookDeliveriesArgs): Promise<WebhookDeliveryConnection> {
    const endpoint = await this.visibleEndpoint(principal, args.endpointId);
    const params: unknown[] = [endpoint.id];
    let filter = 'd.endpoint_id = $1';
    if (args.status) {
      params.push(args.status);
      filter += ` AND d.status = $${params.length}`;
    }
    const countParams = [...params];
    let keyset = '';
    if (args.after) {
      const [createdAt, lastId] = decodeKeysetCursor(args.after, 'timestamp');
      params.push(createdAt, lastId);
      keyset = `AND ${pastTimestampCursorSql('webhook_deliveries', 'd', 'created_at', `$${params.length - 1}::timestamptz`, `$${params.length}::uuid`)}`;
    }
    params.push(args.first + 1);
    const [rows, [{ total }]] = await Promise.all([
      this.dataSource.query(
        `SELECT d.id, d.event_id, ev.type, d.status, d.attempts, d.last_response_code, d.last_error, d.last_attempt_at,
                d.next_attempt_at, d.delivered_at, d.created_at
         FROM webhook_deliveries d JOIN webhook_events ev ON ev.id = d.event_id
         WHERE ${filter} ${keyset} ORDER BY d.created_at DESC, d.id DESC LIMIT $${params.length}`,
        params,
      ) as Promise<Array<Record<string, any>>>,
      this.dataSource.query(`SELECT count(*)::int AS total FROM webhook_deliveries d WHERE ${filter}`, countParams) as Promise<
        Array<{ total: number }>
      >,
    ]);
    const nodes = rows.map((r) =>
      Object.assign(new WebhookDelivery(), {
        id: r.id,
        eventId: r.event_id,
        eventType: r.type,
        status: r.status,
        attempts: r.attempts,
        lastResponseCode: r.last_response_code,
        lastError: r.last_error,
        lastAttemptAt: r.last_attempt_at,
        nextAttemptAt: r.next_attempt_at,
        deliveredAt: r.delivered_at,
        createdAt: r.created_at,
      } satisfies WebhookDelivery),
    );
    return toConnection(
      new WebhookDeliveryConnection(),
      nodes,
      args.first,
      total,
      (d) => encodeCursor([d.createdAt.toISOString(), d.id]),
      Boolean(args.after),
    );
  }
}

function uniqueEvents(events: WebhookEventType[]): WebhookEventType[] {
  return [...new Set(events)].sort();
}
