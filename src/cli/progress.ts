/** How `score-run follow` shows a run: a redrawn bar on a terminal, plain lines otherwise. */

export interface RunView {
  id: string;
  runDate: string;
  status: string;
  phase: string;
  progress: number;
  phaseProgress: number;
  etaSeconds: number | null;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
}

export function duration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export function elapsedOf(run: RunView, nowMs = Date.now()): number | null {
  if (!run.startedAt) return null;
  const end = run.finishedAt ? Date.parse(run.finishedAt) : nowMs;
  return Math.max(0, (end - Date.parse(run.startedAt)) / 1000);
}

const percent = (x: number) => `${(100 * x).toFixed(1)}%`;

/** One line: `run 12 (2026-12-03) WRITING  63.4% (phase 40.0%) elapsed 12s, about 7s left`. */
export function describe(run: RunView): string {
  const head = `run ${run.id} (${run.runDate}) ${run.status === 'RUNNING' ? run.phase : run.status}`;
  const left = run.status === 'RUNNING' ? `, about ${duration(run.etaSeconds)} left` : '';
  const phase = run.status === 'RUNNING' ? ` (phase ${percent(run.phaseProgress)})` : '';
  const error = run.error ? `: ${run.error}` : '';
  return `${head} ${percent(run.progress)}${phase} elapsed ${duration(elapsedOf(run))}${left}${error}`;
}

/** The bar for a terminal `width` columns wide. */
export function bar(run: RunView, width: number): string {
  const text = ` ${percent(run.progress).padStart(6)} ${run.status === 'RUNNING' ? run.phase : run.status} ${duration(elapsedOf(run))}${
    run.status === 'RUNNING' ? ` ETA ${duration(run.etaSeconds)}` : ''
  }`;
  const cells = Math.max(10, Math.min(40, width - text.length - 3));
  const full = Math.round(cells * Math.min(1, Math.max(0, run.progress)));
  return `[${'#'.repeat(full)}${'-'.repeat(cells - full)}]${text}`;
}

export interface Sink {
  /** A change seen while following. */
  update(run: RunView): void;
  /** The run ended (or following stopped). */
  end(run: RunView): void;
}

/** A redrawn line on a TTY. */
export function ttySink(out: NodeJS.WriteStream): Sink {
  return {
    update: (run) => out.write(`\r${bar(run, out.columns ?? 80)}\x1b[K`),
    end: (run) => out.write(`\r${bar(run, out.columns ?? 80)}\x1b[K\n${describe(run)}\n`),
  };
}

/** A line per change of phase or whole percent (logs, CI); NDJSON with --json. */
export function lineSink(out: NodeJS.WritableStream, json: boolean): Sink {
  let last = '';
  const key = (run: RunView) => `${run.status} ${run.phase} ${Math.floor(100 * run.progress)}`;
  const print = (run: RunView) =>
    out.write(json ? `${JSON.stringify({ ...run, elapsedSeconds: elapsedOf(run) })}\n` : `${describe(run)}\n`);
  return {
    update(run) {
      if (key(run) === last) return;
      last = key(run);
      print(run);
    },
    end(run) {
      if (key(run) !== last) print(run);
    },
  };
}
