import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema } from 'graphql';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startTestApi, type TestApi } from '../helpers/api';
import { signUp } from '../helpers/graphql';

/**
 * The self-hosted GraphiQL in Debian's Chromium (installed by .ci/run when missing), driven by
 * playwright-core, with every request that leaves the machine refused and recorded: the IDE must
 * work offline, so the test fails on any such request, not only when one is needed.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Generous: the first load parses ~1.5 MB of script on a machine busy with other suites. */
const SLOW = 60_000;
const SCREENSHOTS = path.resolve(__dirname, '../../test-results');

// Browser-side code is passed as strings: this project's TypeScript has no DOM types.
const editorValue = (selector: string) => `document.querySelector(${JSON.stringify(selector)})?.CodeMirror?.getValue() ?? ''`;
const QUERY_EDITOR = '.graphiql-query-editor .CodeMirror';
const HEADERS_EDITOR = '.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror';
const RESPONSE = '.graphiql-response .CodeMirror';

/** One browser for the file (launched below): each visit has a context of its own. */
let browser: Browser;

interface Visit {
  page: Page;
  /** The bodies of the GraphQL requests the page sent. */
  operations: string[];
}

/**
 * Opens `url` in a context of its own, waits for the editor, runs `steps`, then saves a screenshot
 * (`name`, or `failed-<name>` when a step failed) and checks that the page made no request off the
 * machine and logged no error (a refused script, style or font, a policy violation, an exception).
 */
async function inBrowser(
  url: string,
  name: string,
  steps: (visit: Visit) => Promise<void>,
  httpCredentials?: { username: string; password: string },
): Promise<void> {
  const context: BrowserContext = await browser.newContext({ httpCredentials, viewport: { width: 1400, height: 900 } });
  const offsite: string[] = [];
  await context.route('**/*', (route) => {
    if (new URL(route.request().url()).hostname === '127.0.0.1') return route.continue();
    offsite.push(route.request().url());
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  page.setDefaultTimeout(SLOW);
  const problems: string[] = [];
  const operations: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('request', (request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname === '/graphql') operations.push(request.postData() ?? '');
  });
  try {
    const response = await page.goto(url, { timeout: SLOW });
    expect(response?.status()).toBe(200);
    await page.locator(QUERY_EDITOR).waitFor({ timeout: SLOW });
    await steps({ page, operations });
    await screenshot(page, name);
  } catch (error) {
    await screenshot(page, `failed-${name}`).catch(() => undefined);
    throw error;
  } finally {
    await context.close();
  }
  expect(offsite).toEqual([]);
  expect(problems).toEqual([]);
}

/** `me`'s description in the committed SDL: what the documentation explorer must show. */
const ME_DESCRIPTION = buildSchema(readFileSync(path.resolve(__dirname, '../../schema/schema.graphql'), 'utf8'))
  .getQueryType()!
  .getFields().me.description!;

/** Opens the documentation explorer, then Query's page, and waits for `me` and its description. */
async function openQueryDocs(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
  const docs = page.locator('.graphiql-doc-explorer');
  await docs.getByText('Query', { exact: true }).first().click();
  await docs.locator('.graphiql-doc-explorer-field-name', { hasText: /^me$/ }).waitFor();
  await docs.getByText(ME_DESCRIPTION, { exact: true }).waitFor();
}

async function setEditor(page: Page, selector: string, value: string): Promise<void> {
  await page.locator(selector).waitFor();
  await page.evaluate(`document.querySelector(${JSON.stringify(selector)}).CodeMirror.setValue(${JSON.stringify(value)})`);
}

/** Runs the query editor's operation and returns the response pane's JSON once it shows one. */
async function run(page: Page): Promise<unknown> {
  await page.locator('.graphiql-execute-button').click();
  // A locator's wait, not waitForFunction: that one compiles its predicate in the page, which the
  // page's policy (no eval) refuses.
  await page
    .locator(RESPONSE)
    .filter({ hasText: /"(data|errors)"/ })
    .waitFor({ timeout: SLOW });
  return JSON.parse((await page.evaluate(editorValue(RESPONSE))) as string);
}

async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, name);
  await page.screenshot({ path: file, fullPage: true });
  console.log(`GraphiQL screenshot: ${file}`);
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: apt-get install chromium (.ci/run does), or set CHROMIUM_PATH`);
  // One browser for the file: each test has its own context (cookies, credentials, routes).
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    timeout: SLOW,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});
afterAll(() => browser?.close());

describe('GraphiQL outside production', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api?.stop());

  it('loads offline, documents the schema and runs `me` with a pasted token', async () => {
    const influencer = await signUp(api.client, 'INFLUENCER', { country: 'FR' });
    await inBrowser(`${api.url}/graphql`, 'graphiql.png', async ({ page }) => {
      await openQueryDocs(page);

      await page.getByRole('button', { name: 'Headers' }).click();
      await setEditor(page, HEADERS_EDITOR, JSON.stringify({ Authorization: `Bearer ${influencer.token}` }, null, 2));
      await setEditor(page, QUERY_EDITOR, '{\n  me {\n    email\n    role\n  }\n}\n');
      expect(await run(page)).toEqual({ data: { me: { email: influencer.email, role: 'INFLUENCER' } } });
    });
  });

  it('serves the page and its files with a policy that allows no other origin, and the files for good', async () => {
    const page = await fetch(`${api.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    const policy = page.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("connect-src 'self'");
    const html = await page.text();
    const files = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]);
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const file of files) {
      expect(file).toMatch(/^\/graphql\/ide\/[a-z-]+\.[0-9a-f]{12}\.(js|css)$/);
      const asset = await fetch(`${api.url}${file}`);
      expect(asset.status).toBe(200);
      expect(asset.headers.get('cache-control')).toContain('immutable');
      // Nothing the page loads names another origin to fetch from (fonts are inline data: URLs).
      expect(await asset.text()).not.toMatch(/@import|url\(\s*["']?(https?:)?\/\//);
    }
    expect((await fetch(`${api.url}/graphql/ide/graphiql.000000000000.js`)).status).toBe(404);

    // What is not a browser's page request still reaches GraphQL.
    const get = await fetch(`${api.url}/graphql?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(await get.json()).toEqual({ data: { __typename: 'Query' } });
  });
});

describe('GraphiQL in production', () => {
  let api: TestApi;
  beforeAll(async () => {
    // The per-address sign-in limit is shared by every suite of the run (one Redis prefix, one
    // address): this suite's few sign-ins must not be refused because others logged in that minute.
    api = await startTestApi({ NODE_ENV: 'production', RATE_LIMIT_LOGIN_IP: 'off' });
  });
  afterAll(() => api?.stop());
  const operator = () => ({ username: api.env.ADMIN_EMAIL, password: api.env.ADMIN_PASSWORD });
  const basic = ({ username, password }: { username: string; password: string }) =>
    `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

  it('asks for an operator sign-in: refused without one, and to anyone who is not an operator', async () => {
    const anonymous = await fetch(`${api.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    expect(await anonymous.text()).not.toMatch(/</);

    const influencer = await signUp(api.client, 'INFLUENCER', { country: 'FR' });
    const wrongPassword = await fetch(`${api.url}/graphql`, {
      headers: { accept: 'text/html', authorization: basic({ username: influencer.email, password: 'not the password' }) },
    });
    expect(wrongPassword.status).toBe(401);
    const notOperator = await fetch(`${api.url}/graphql`, {
      headers: { accept: 'text/html', authorization: basic({ username: influencer.email, password: 'correct horse battery' }) },
    });
    expect(notOperator.status).toBe(401);
    const influencerToken = await fetch(`${api.url}/graphql`, {
      headers: { accept: 'text/html', authorization: `Bearer ${influencer.token}` },
    });
    expect(influencerToken.status).toBe(403);

    const signedIn = await fetch(`${api.url}/graphql`, { headers: { accept: 'text/html', authorization: basic(operator()) } });
    expect(signedIn.status).toBe(200);
    const file = /src="(\/graphql\/ide\/[^"]+)"/.exec(await signedIn.text())![1];
    expect((await fetch(`${api.url}${file}`)).status).toBe(401);
    expect((await fetch(`${api.url}${file}`, { headers: { authorization: basic(operator()) } })).status).toBe(200);
  });

  it('documents the schema from the committed SDL, with introspection off, and runs operations anonymously', async () => {
    await inBrowser(
      `${api.url}/graphql`,
      'graphiql-production.png',
      async ({ page, operations }) => {
        await openQueryDocs(page);
        // The page never asked the server for its schema (it would have been refused).
        expect(operations.filter((body) => body.includes('__schema'))).toEqual([]);

        // The operator's Basic sign-in is not sent along: /graphql would refuse it as a malformed token.
        await setEditor(page, QUERY_EDITOR, '{\n  me {\n    email\n  }\n}\n');
        expect(await run(page)).toEqual({ data: { me: null } });
      },
      operator(),
    );
  });
});
