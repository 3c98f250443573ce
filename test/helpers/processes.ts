import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

/** A src/<entry>.ts running as its own process, with its JSON log lines collected as they come. */
export interface Running {
  name: string;
  child: ChildProcessWithoutNullStreams;
  logs: Array<Record<string, any>>;
  stderr: string[];
  exited: Promise<number | null>;
}

/**
 * Runs src/<entry>.ts (with `args`) as its own process through ts-node, as `npm run dev` does.
 * NODE_ENV is development and LOG_LEVEL info unless `env` says otherwise (not test: Apollo handles
 * signals differently under NODE_ENV=test, and the logs are what the tests wait on).
 */
export function runEntry(entry: string, env: Record<string, string>, name = entry, args: string[] = []): Running {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(ROOT, 'src', entry), ...args], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'info', ...env },
  });
  const logs: Array<Record<string, any>> = [];
  const stderr: string[] = [];
  let partial = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop()!;
    for (const line of lines.filter(Boolean)) {
      try {
        logs.push(JSON.parse(line));
      } catch {
        logs.push({ msg: line });
      }
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { name, child, logs, stderr, exited };
}

/** The first log line with this msg (and matching), waiting for it; fails with the process's stderr. */
export async function waitForLog(
  running: Running,
  msg: string,
  match: (l: Record<string, any>) => boolean = () => true,
  timeoutMs = 60_000,
): Promise<Record<string, any>> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = running.logs.find((l) => l.msg === msg && match(l));
    if (found) return found;
    if (running.child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${running.name}: no "${msg}" log line; stderr: ${running.stderr.join('').slice(-2000)}`);
}

/** A TCP port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
