import { CliError, type PerksApi } from './api';
import { lineSink, ttySink, type RunView } from './progress';

export const USAGE = `usage: npm run perks -- <command> [options]      (in the image: node dist/src/scripts/perks.js <command>)

  keys list                                  the operator's API keys
  keys create --name NAME [--scopes S,S]     a key (default scope INGEST); its secret is printed once
              [--organization ID]
  keys revoke <id>                           revoke a key (harmless twice)
  agencies grant <brandId> <agencyId>        let an agency act for a brand
  agencies revoke <brandId> <agencyId>       withdraw that grant
  score-run request [--date YYYY-MM-DD]      request the run for a date (default: yesterday, UTC)
                    [--follow]               ... and follow it
  score-run follow [<id>]                    follow a run (default: the newest) to its end, with its
                                             phase, share done and time left; exit 1 if it failed
  score-run list [--first N]                 the newest runs
  queues                                     job counts per queue, and jobs waiting in the outbox

options: --json (machine-readable output), --interval MS (follow's polling, default 500), --help
environment: PERKS_URL (default http://127.0.0.1:4000), PERKS_TOKEN or PERKS_EMAIL + PERKS_PASSWORD
  (an operator; without them, against a loopback PERKS_URL only, the development operator)
exit codes: 0 done, 1 refused or failed (a clear sentence on stderr), 2 usage error`;

export interface Options {
  json: boolean;
  name?: string;
  scopes?: string;
  organization?: string;
  date?: string;
  follow: boolean;
  first?: string;
  interval?: string;
}

export interface Io {
  out: NodeJS.WriteStream;
  print(text: string): void;
}

const usage = (message: string) => new CliError(`${message}\n\n${USAGE}`, 2);

const RUN_FIELDS = 'id runDate status phase progress phaseProgress etaSeconds startedAt finishedAt error';
const KEY_FIELDS = 'id name prefix scopes organizationId createdAt lastUsedAt revokedAt';

/** An ErrorResult member of a result union becomes a CliError in its own words. */
function unwrap<T extends { __typename: string; message?: string; errorCode?: string }>(result: T, expected: string): T {
  if (result.__typename !== expected) throw new CliError(`${result.errorCode}: ${result.message}`);
  return result;
}

function table(rows: Array<Record<string, unknown>>, columns: string[]): string {
  if (rows.length === 0) return '(none)';
  const cell = (v: unknown) => (v === null || v === undefined ? '-' : Array.isArray(v) ? v.join(',') : String(v));
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(columns), ...rows.map((r) => line(columns.map((c) => cell(r[c]))))].join('\n');
}

function positiveInt(value: string | undefined, name: string, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw usage(`--${name} must be a whole number from 1 to ${max} (got "${value}")`);
  return n;
}

async function keys(api: PerksApi, args: string[], o: Options, io: Io): Promise<void> {
  const [action, id, ...rest] = args;
  if (action === 'list' && !id) {
    const { apiKeys } = await api.request(`{ apiKeys { ${KEY_FIELDS} } }`);
    io.print(o.json ? JSON.stringify(apiKeys) : table(apiKeys, ['id', 'name', 'prefix', 'scopes', 'createdAt', 'lastUsedAt', 'revokedAt']));
  } else if (action === 'create' && !id) {
    if (!o.name) throw usage('keys create needs --name');
    const scopes = (o.scopes ?? 'INGEST').split(',').map((s) => s.trim().toUpperCase());
    const { createApiKey } = await api.request(
      `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) {
        __typename ... on CreatedApiKey { key apiKey { ${KEY_FIELDS} } } ... on ErrorResult { errorCode message } } }`,
      { input: { name: o.name, scopes, organizationId: o.organization } },
    );
    const created = unwrap(createApiKey, 'CreatedApiKey');
    io.print(
      o.json
        ? JSON.stringify({ key: created.key, ...created.apiKey })
        : `created key ${created.apiKey.id} "${created.apiKey.name}" (${created.apiKey.scopes.join(',')}); send it as X-Api-Key, it is shown only now:\n${created.key}`,
    );
  } else if (action === 'revoke' && id && rest.length === 0) {
    const { revokeApiKey } = await api.request(`mutation($id: ID!) { revokeApiKey(id: $id) { ${KEY_FIELDS} } }`, { id });
    io.print(o.json ? JSON.stringify(revokeApiKey) : `revoked key ${revokeApiKey.id} "${revokeApiKey.name}" at ${revokeApiKey.revokedAt}`);
  } else {
    throw usage('keys: list | create --name NAME [--scopes S,S] | revoke <id>');
  }
}

async function agencies(api: PerksApi, args: string[], o: Options, io: Io): Promise<void> {
  const [action, brandId, agencyId, ...rest] = args;
  if (!['grant', 'revoke'].includes(action) || !brandId || !agencyId || rest.length) {
    throw usage('agencies: grant <brandId> <agencyId> | revoke <brandId> <agencyId>');
  }
  if (action === 'grant') {
    const { addAgencyClient } = await api.request(
      `mutation($brandId: ID!, $agencyId: ID!) { addAgencyClient(brandId: $brandId, agencyId: $agencyId) {
        __typename ... on AgencyClientGrant { brand { id name } agency { id name } } ... on ErrorResult { errorCode message } } }`,
      { brandId, agencyId },
    );
    const grant = unwrap(addAgencyClient, 'AgencyClientGrant');
    io.print(
      o.json
        ? JSON.stringify({ brand: grant.brand, agency: grant.agency })
        : `agency "${grant.agency.name}" (${grant.agency.id}) now acts for brand "${grant.brand.name}" (${grant.brand.id})`,
    );
  } else {
    const { removeAgencyClient } = await api.request(
      `mutation($brandId: ID!, $agencyId: ID!) { removeAgencyClient(brandId: $brandId, agencyId: $agencyId) }`,
      { brandId, agencyId },
    );
    io.print(o.json ? JSON.stringify({ removed: removeAgencyClient }) : removeAgencyClient ? 'grant withdrawn' : 'there was no such grant');
  }
}

async function follow(api: PerksApi, id: string | undefined, o: Options, io: Io): Promise<void> {
  const intervalMs = positiveInt(o.interval, 'interval', 500, 60_000);
  if (!id) {
    const { scoreRuns } = await api.request(`{ scoreRuns(first: 1) { edges { node { id } } } }`);
    id = scoreRuns.edges[0]?.node.id;
    if (!id) throw new CliError('there is no score run yet: request one with `score-run request`');
  }
  const sink = io.out.isTTY && !o.json ? ttySink(io.out) : lineSink(io.out, o.json);
  for (;;) {
    const { scoreRun } = (await api.request(`query($id: ID!) { scoreRun(id: $id) { ${RUN_FIELDS} } }`, { id })) as {
      scoreRun: RunView | null;
    };
    if (!scoreRun) throw new CliError(`no score run with id ${id}`);
    if (scoreRun.status === 'SUCCEEDED' || scoreRun.status === 'FAILED') {
      sink.end(scoreRun);
      if (scoreRun.status === 'FAILED') throw new CliError(`score run ${id} failed: ${scoreRun.error ?? 'no reason recorded'}`);
      return;
    }
    sink.update(scoreRun);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

async function scoreRun(api: PerksApi, args: string[], o: Options, io: Io): Promise<void> {
  const [action, id, ...rest] = args;
  if (action === 'request' && !id) {
    if (o.date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(o.date)) throw usage(`--date must be YYYY-MM-DD (got "${o.date}")`);
    const { recomputeScores } = await api.request(
      `mutation($date: String) { recomputeScores(date: $date) { __typename ... on ScoreRun { ${RUN_FIELDS} } ... on ErrorResult { errorCode message } } }`,
      { date: o.date },
    );
    const run = unwrap(recomputeScores, 'ScoreRun');
    if (o.follow) return follow(api, run.id, o, io);
    io.print(
      o.json ? JSON.stringify(run) : `score run ${run.id} for ${run.runDate}: ${run.status} (follow it: score-run follow ${run.id})`,
    );
  } else if (action === 'follow' && rest.length === 0) {
    if (id !== undefined && !/^\d+$/.test(id)) throw usage(`a run id is a number (got "${id}")`);
    await follow(api, id, o, io);
  } else if (action === 'list' && !id) {
    const first = positiveInt(o.first, 'first', 10, 100);
    const { scoreRuns } = await api.request(`query($first: Int!) { scoreRuns(first: $first) { edges { node { ${RUN_FIELDS} } } } }`, {
      first,
    });
    const runs = scoreRuns.edges.map((e: { node: RunView }) => e.node);
    io.print(o.json ? JSON.stringify(runs) : table(runs, ['id', 'runDate', 'status', 'phase', 'progress', 'startedAt', 'finishedAt']));
  } else {
    throw usage('score-run: request [--date YYYY-MM-DD] [--follow] | follow [<id>] | list [--first N]');
  }
}

async function queues(api: PerksApi, args: string[], o: Options, io: Io): Promise<void> {
  if (args.length) throw usage('queues takes no arguments');
  const { queueStates } = await api.request(
    `{ queueStates { name reachable paused waiting prioritized active delayed failed completed outboxed } }`,
  );
  io.print(
    o.json
      ? JSON.stringify(queueStates)
      : table(queueStates, [
          'name',
          'reachable',
          'paused',
          'waiting',
          'prioritized',
          'active',
          'delayed',
          'failed',
          'completed',
          'outboxed',
        ]),
  );
}

export const COMMANDS: Record<string, (api: PerksApi, args: string[], o: Options, io: Io) => Promise<void>> = {
  keys,
  agencies,
  'score-run': scoreRun,
  queues,
};

export function usageError(message: string): CliError {
  return usage(message);
}
