import { gzipSync } from 'node:zlib';
import express, { type Request, type RequestHandler, type Response } from 'express';
import type { IdeAsset, IdeAssets } from './ide-assets';

/** The page is GraphQL's own path (what a browser opens); its files live below it. */
export const IDE_PATH = '/graphql';
export const IDE_ASSETS_PATH = `${IDE_PATH}/ide`;

/**
 * Nothing from another origin, and no inline script: the page runs only the files below. Styles
 * may be inline because GraphiQL's components set them; its fonts are data: URLs in its stylesheet.
 */
export const IDE_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

// Anonymous: GraphiQL reads the operation's name a moment after an edit, so a named default query
// run right after being replaced by an anonymous one would be sent as "Unknown operation named ...".
const DEFAULT_QUERY = `# The Perks GraphQL API. Documentation: the book icon on the left.
#
# Authenticated calls need a token: run logIn (or signUp), then paste it in
# Headers below as {"Authorization": "Bearer <token>"} (or {"X-Api-Key": "<key>"}).

{
  me {
    email
    name
    role
  }
}
`;

export interface IdeDeps {
  assets: IdeAssets;
  /** False in production: the page then builds the schema from the committed SDL. */
  introspection: boolean;
  /**
   * In front of the page and its files when set (production): the operators' sign-in, the queue
   * dashboard's own. Outside production the IDE is open, as Apollo's landing page was.
   */
  operatorsOnly?: RequestHandler;
}

/** `<` escaped so that no value can close the JSON's script element. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

function page({ assets, introspection }: IdeDeps): string {
  const src = (asset: IdeAsset) => `${IDE_ASSETS_PATH}/${asset.file}`;
  const config = {
    endpoint: IDE_PATH,
    sdl: introspection ? null : src(assets.sdl),
    defaultQuery: DEFAULT_QUERY,
    defaultHeaders: '{}',
  };
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="robots" content="noindex">
    <title>Perks GraphQL IDE</title>
    <link rel="stylesheet" href="${src(assets['graphiql-css'])}">
  </head>
  <body>
    <div id="graphiql">Loading the GraphQL IDE…</div>
    <script type="application/json" id="ide-config">${scriptJson(config)}</script>
    <script src="${src(assets.react)}"></script>
    <script src="${src(assets['react-dom'])}"></script>
    <script src="${src(assets.graphiql)}"></script>
    <script src="${src(assets.boot)}"></script>
  </body>
</html>
`;
}

function securityHeaders(res: Response): void {
  res.setHeader('content-security-policy', IDE_CONTENT_SECURITY_POLICY);
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('x-frame-options', 'DENY');
  res.setHeader('referrer-policy', 'no-referrer');
}

/**
 * What Apollo's landing page answered: a GET that prefers HTML over JSON (a browser's address bar).
 * Anything else (a GET with an operation, a POST) goes on to GraphQL.
 */
const wantsPage = (req: Request) => req.accepts(['application/json', 'application/graphql-response+json', 'text/html']) === 'text/html';

/** A file's bytes, gzipped once on first demand when the browser takes gzip (GraphiQL is ~1 MB). */
function assetHandler(assets: IdeAssets): RequestHandler {
  const byFile = new Map(Object.values(assets).map((asset) => [asset.file, asset]));
  const gzipped = new Map<string, Buffer>();
  return (req, res) => {
    const asset = byFile.get(String(req.params.file));
    if (!asset) {
      res.status(404).type('text/plain').send('Not found\n');
      return;
    }
    securityHeaders(res);
    res.setHeader('content-type', asset.contentType);
    // The name changes with the content: a browser may keep it for good. Private: in production it
    // was fetched with an operator's credentials, so no shared cache keeps it.
    res.setHeader('cache-control', 'private, max-age=31536000, immutable');
    res.setHeader('vary', 'accept-encoding');
    let body = asset.body;
    if (req.acceptsEncodings('gzip', 'identity') === 'gzip') {
      body = gzipped.get(asset.file) ?? gzipSync(asset.body);
      gzipped.set(asset.file, body);
      res.setHeader('content-encoding', 'gzip');
    }
    res.end(body);
  };
}

/** The self-hosted GraphiQL at GET /graphql (HTML) and its files at /graphql/ide/<hashed name>. */
export function graphqlIde(deps: IdeDeps): express.Router {
  const html = page(deps);
  const gate: RequestHandler[] = deps.operatorsOnly ? [deps.operatorsOnly] : [];
  const router = express.Router();
  router.get(
    IDE_PATH,
    (req, _res, next) => next(wantsPage(req) ? undefined : 'route'),
    ...gate,
    (_req, res) => {
      securityHeaders(res);
      res.setHeader('cache-control', 'no-store');
      res.type('html').send(html);
    },
  );
  router.get(`${IDE_ASSETS_PATH}/:file`, ...gate, assetHandler(deps.assets));
  return router;
}
