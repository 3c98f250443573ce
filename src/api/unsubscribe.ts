import express, { type ErrorRequestHandler, type Request, type Response, type Router } from 'express';
import { escapeHtml } from '../core/html';
import type { Logger } from '../core/logger';
import { UNSUBSCRIBE_PATH } from '../modules/notifications/email.service';
import type { UnsubscribeScope } from '../modules/notifications/unsubscribe-token';
import type { Services } from '../modules/services';

const KIND_WORDS: Record<string, string> = { OFFER_NEW: 'new offers', OFFER_EXPIRING: 'offers expiring soon' };

/** "new offers and offers expiring soon", escaped. */
const kindsOf = (scope: UnsubscribeScope) => escapeHtml(scope.kinds.map((k) => KIND_WORDS[k] ?? k).join(' and '));

/** A small page of its own: no script, nothing loaded from elsewhere, the token never sent on as a referrer. */
function page(res: Response, status: number, title: string, body: string): void {
  res
    .status(status)
    .set({
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
    })
    .send(
      `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>` +
        `<body style="font-family: sans-serif; max-width: 36em; margin: 3em auto"><h1>${escapeHtml(title)}</h1>${body}</body></html>`,
    );
}

function refused(res: Response): void {
  page(
    res,
    400,
    'This unsubscribe link is not valid',
    '<p>The link is incomplete or was not issued by us. Copy the whole link from the mail, or change your e-mail settings in the app.</p>',
  );
}

function tokenOf(req: Request): unknown {
  return req.query.token ?? (req.body as Record<string, unknown> | undefined)?.token;
}

/**
 * `GET /unsubscribe?token=…`: a confirmation page with one button (mail scanners fetch links, so a
 * GET changes nothing). `POST /unsubscribe?token=…`: switches e-mail off for the token's kinds;
 * mail clients do it themselves from the List-Unsubscribe headers (RFC 8058 one-click, body
 * `List-Unsubscribe=One-Click`). Idempotent; a bad or forged token gets a 400 page, and any other
 * failure a 500 page, never a stack.
 */
export function unsubscribeRouter(services: Services, log: Logger): Router {
  const router = express.Router();
  router.get('/', (req, res) => {
    const scope = services.email.checkUnsubscribe(req.query.token);
    if (!scope) return refused(res);
    page(
      res,
      200,
      'Unsubscribe from e-mail',
      `<p>Stop e-mails about ${kindsOf(scope)}? Your inbox in the app keeps them.</p>` +
        `<form method="post" action="${escapeHtml(`${UNSUBSCRIBE_PATH}?token=${encodeURIComponent(String(req.query.token))}`)}">` +
        '<button type="submit">Unsubscribe</button></form>',
    );
  });
  router.post('/', express.urlencoded({ extended: false, limit: '4kb' }), async (req, res) => {
    const scope = await services.email.unsubscribe(tokenOf(req));
    if (!scope) return refused(res);
    page(
      res,
      200,
      'You are unsubscribed',
      `<p>You will get no more e-mail about ${kindsOf(scope)}. You can switch it on again in your notification settings.</p>`,
    );
  });
  const failed: ErrorRequestHandler = (error, _req, res, next) => {
    if (res.headersSent) return next(error);
    const status = typeof error?.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status >= 500) log.error({ err: error, requestId: res.locals.requestId }, 'unsubscribe failed');
    if (status < 500) return refused(res);
    page(res, 500, 'Something went wrong', '<p>Your request was not completed. Please try the link again later.</p>');
  };
  router.use(failed);
  return router;
}
