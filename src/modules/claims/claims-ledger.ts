import type { DataSource } from 'typeorm';
import { influencerIdOfUser } from '../../core/access';
import { decodeKeysetCursor, encodeCursor, pastTimestampCursorSql, toConnection } from '../../core/connection';
import { Claim, ClaimStatus } from './claim.entity';
import { ClaimConnection } from './claims-ledger.types';

/** Rows per query of a CSV export: big enough to keep queries few, small enough to keep memory flat. */
export const EXPORT_BATCH_ROWS = 1000;

export const CSV_COLUMNS = [
  'claim_id',
  'status',
  'claimed_at',
  'redeemed_at',
  'cancelled_at',
  'influencer_id',
  'influencer_display_name',
  'verified_handles',
] as const;

/**
 * One CSV cell (RFC 4180). Display names are written by their influencers, so a cell a spreadsheet
 * would run as a formula (= + - @, tab, CR) is defused with a leading apostrophe (OWASP's advice).
 */
export function csvCell(value: string | null): string {
  if (value === null || value === '') return '';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export const csvLine = (cells: Array<string | null>): string => `${cells.map(csvCell).join(',')}\r\n`;

interface ExportRow {
  id: string;
  status: ClaimStatus;
  claimed_at: Date;
  redeemed_at: Date | null;
  cancelled_at: Date | null;
  /** claimed_at as Postgres writes it, to the microsecond: the exact keyset position (a Date keeps milliseconds). */
  claimed_key: string;
  influencer_id: string | null;
  display_name: string | null;
  handles: string | null;
}

type Scope = { campaignId: string } | { influencerId: string };

/**
 * The claims ledger: a campaign's claims for its managers, an influencer's own claims, and the
 * CSV export. Newest first, keyset pages on (claimed_at, id). Who may read is decided by the
 * callers (the resolvers and the export route); this only reads.
 */
export class ClaimsLedger {
  constructor(private readonly dataSource: DataSource) {}

  /** A campaign's claims; the caller has checked the principal manages it. */
  campaignClaims(campaignId: string, args: { status?: ClaimStatus; first: number; after?: string }): Promise<ClaimConnection> {
    return this.page({ campaignId }, args);
  }

  /** The user's own claims (their opted-in influencer profile's). */
  async myClaims(userId: string, args: { status?: ClaimStatus; first: number; after?: string }): Promise<ClaimConnection> {
    return this.page({ influencerId: await influencerIdOfUser(this.dataSource, userId) }, args);
  }

  private async page(scope: Scope, args: { status?: ClaimStatus; first: number; after?: string }): Promise<ClaimConnection> {
    const query = this.dataSource
      .getRepository(Claim)
      .createQueryBuilder('c')
      .where('campaignId' in scope ? 'c.campaign_id = :id' : 'c.influencer_id = :id', {
        id: 'campaignId' in scope ? scope.campaignId : scope.influencerId,
      })
      .orderBy('c.claimed_at', 'DESC')
      .addOrderBy('c.id', 'DESC');
    if (args.status) query.andWhere('c.status = :status', { status: args.status });
    const total = query.clone().getCount();
    if (args.after) {
      // The cursor holds claimed_at to the millisecond (what a Date keeps) but Postgres keeps
      // microseconds: the row the cursor names gives the exact position, and claims are never
      // deleted (an erasure keeps them), so the cursor's own value is only a fallback.
      const [afterAt, afterId] = decodeKeysetCursor(args.after, 'timestamp');
      query.andWhere(pastTimestampCursorSql('claims', 'c', 'claimed_at', ':afterAt::timestamptz', ':afterId::uuid'), { afterAt, afterId });
    }
    const [rows, totalCount] = await Promise.all([query.limit(args.first + 1).getMany(), total]);
    return toConnection(
      new ClaimConnection(),
      rows,
      args.first,
      totalCount,
      (c) => encodeCursor([c.claimedAt.toISOString(), c.id]),
      Boolean(args.after),
    );
  }

  /**
   * A campaign's ledger as CSV text, the header first and then one chunk per batch of rows, read
   * by keyset queries of `batchRows` each: no connection is held between chunks and nothing
   * accumulates, however many claims there are. Each query sees the table as it is then: a claim
   * made during the export is newer than the first batch and not included; one whose status
   * changes meanwhile is written as it was when its batch was read. The caller checks access.
   */
  async *csv(campaignId: string, status: ClaimStatus | undefined, batchRows = EXPORT_BATCH_ROWS): AsyncGenerator<string> {
    yield csvLine([...CSV_COLUMNS]);
    let after: { key: string; id: string } | null = null;
    for (;;) {
      const params: unknown[] = [campaignId];
      let filter = '';
      if (status) {
        params.push(status);
        filter += ` AND c.status = $${params.length}`;
      }
      if (after) {
        params.push(after.key, after.id);
        filter += ` AND (c.claimed_at, c.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`;
      }
      params.push(batchRows);
      const rows: ExportRow[] = await this.dataSource.query(
        `SELECT c.id, c.status, c.claimed_at, c.redeemed_at, c.cancelled_at, c.claimed_at::text AS claimed_key,
                i.id AS influencer_id, i.display_name,
                (SELECT string_agg(s.network || ':' || s.handle, ' ' ORDER BY s.network, s.handle)
                 FROM social_accounts s WHERE s.influencer_id = i.id AND s.status = 'VERIFIED') AS handles
         FROM claims c LEFT JOIN influencers i ON i.id = c.influencer_id
         WHERE c.campaign_id = $1${filter}
         ORDER BY c.claimed_at DESC, c.id DESC LIMIT $${params.length}`,
        params,
      );
      if (rows.length === 0) return;
      let chunk = '';
      for (const r of rows) {
        chunk += csvLine([
          r.id,
          r.status,
          r.claimed_at.toISOString(),
          r.redeemed_at?.toISOString() ?? null,
          r.cancelled_at?.toISOString() ?? null,
          r.influencer_id,
          r.display_name,
          r.handles,
        ]);
      }
      yield chunk;
      if (rows.length < batchRows) return;
      const last = rows[rows.length - 1];
      after = { key: last.claimed_key, id: last.id };
    }
  }
}
