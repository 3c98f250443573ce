import type { RequestHandler, Response } from 'express';
import { GraphQLError } from 'graphql';
import type { ResolverData } from 'type-graphql';
import { CAMPAIGN_MANAGERS } from '../core/access';
import type { RequestContext } from '../core/context';
import { unauthenticated } from '../core/errors';
import type { Logger } from '../core/logger';
import { ClaimStatus } from '../modules/claims/claim.entity';
import type { Services } from '../modules/services';
import { authChecker } from './auth-checker';
import { authenticateRequest } from './context';

export const CLAIMS_CSV_PATH = '/exports/campaigns/:id/claims.csv';

const STATUS_OF_CODE: Record<string, number> = {
  BAD_REQUEST: 400,
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
};

/** Resolves once the response can take more (or is gone): back-pressure for a slow reader. */
function drained(res: Response): Promise<void> {
  // Gone already (its 'close' may have been emitted before this listens): nothing to wait for.
  if (res.destroyed || !res.writableNeedDrain) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/**
 * `GET /exports/campaigns/:id/claims.csv[?status=ACTIVE|REDEEMED|CANCELLED]`: a campaign's claims
 * ledger as CSV, for the principals `Campaign.claims` admits, authenticated by the same code as
 * /graphql. Refusals are answered in GraphQL's error shape: 401 (credentials missing or wrong),
 * 403 (a principal that never manages campaigns, as @Authorized says), 400 (a bad status), 404
 * (a campaign that does not exist or that the principal does not manage: the same body).
 *
 * The body is streamed batch by batch with back-pressure (a slow reader holds back the next
 * query), and stops at the next batch when the client goes away: memory stays flat whatever the
 * row count. A failure once the header is out cuts the connection, so the client sees a broken
 * download rather than a file that looks complete; nothing of the error goes into the body.
 */
export function claimsCsvExport(services: Services, log: Logger): RequestHandler {
  return async (req, res) => {
    const requestId = String(res.locals.requestId);
    let campaignId: string;
    let status: ClaimStatus | undefined;
    try {
      const principal = await authenticateRequest(req, services);
      if (!principal) throw unauthenticated();
      await authChecker({ context: { principal } } as ResolverData<RequestContext>, CAMPAIGN_MANAGERS);
      const given = req.query.status;
      if (given !== undefined) {
        if (typeof given !== 'string' || !(Object.values(ClaimStatus) as string[]).includes(given)) {
          throw new GraphQLError(`status must be one of ${Object.values(ClaimStatus).join(', ')}`, {
            extensions: { code: 'BAD_USER_INPUT' },
          });
        }
        status = given as ClaimStatus;
      }
      campaignId = (await services.campaigns.visibleCampaign(principal, String(req.params.id))).id;
    } catch (error) {
      const code = error instanceof GraphQLError ? String(error.extensions.code) : '';
      const httpStatus = STATUS_OF_CODE[code];
      if (httpStatus === undefined) {
        log.error({ err: error, requestId }, 'claims export failed before streaming');
        res.status(500).json({ errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
        return;
      }
      if (httpStatus === 401) res.setHeader('WWW-Authenticate', 'Bearer');
      res.status(httpStatus).json({ errors: [{ message: (error as GraphQLError).message, extensions: { code } }] });
      return;
    }

    res.status(200);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8; header=present');
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="campaign-${campaignId}-claims${status ? `-${status.toLowerCase()}` : ''}.csv"`,
    );
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    try {
      // Leaving the loop early (the client left) closes the generator: no further query runs.
      for await (const chunk of services.claimsLedger.csv(campaignId, status)) {
        if (res.destroyed) break;
        if (!res.write(chunk)) await drained(res);
      }
      if (!res.destroyed) res.end();
    } catch (error) {
      log.error({ err: error, requestId, campaignId }, 'claims export failed while streaming');
      if (res.headersSent) res.destroy();
      else res.status(500).json({ errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
    }
  };
}
