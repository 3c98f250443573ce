import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { checkHouse, importCycles, layoutGaps, listFiles, MAX_LINES, readFacts, type SourceFacts } from '../../src/scripts/check-house';

// npm run house:check in CI is only worth something if it can fail: each breach it exists for, on a
// few synthetic files, and silence on a clean house.

const fact = (file: string, imports: string[] = [], lines = 10): SourceFacts => ({ file, lines, imports, functions: [] });

describe('check-house', () => {
  let root: string;

  beforeEach(() => {
    root = mkdtempSync(join(os.tmpdir(), 'house-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  /** Writes the files under the temporary root and reads them back as house:check does. */
  function house(files: Record<string, string>): string[] {
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, file)), { recursive: true });
      writeFileSync(join(root, file), text);
    }
    return checkHouse(listFiles('src', root).map((file) => readFacts(file, root)));
  }

  it('finds a cycle of two files, and none in a chain', () => {
    expect(
      importCycles(
        new Map([
          ['a.ts', ['b.ts']],
          ['b.ts', ['a.ts']],
        ]),
      ),
    ).toEqual([['a.ts', 'b.ts']]);
    expect(
      importCycles(
        new Map([
          ['a.ts', ['b.ts']],
          ['b.ts', ['c.ts']],
          ['c.ts', []],
        ]),
      ),
    ).toEqual([]);
    expect(checkHouse([fact('src/modules/a/a.ts', ['src/modules/b/b.ts']), fact('src/modules/b/b.ts', ['src/modules/a/a.ts'])])).toEqual([
      'import cycle among: src/modules/a/a.ts, src/modules/b/b.ts',
    ]);
  });

  it('counts type-only imports as edges: import type, export type from, import() types', () => {
    expect(
      house({
        'src/modules/a/a.service.ts': `import type { B } from '../b/b.service';\nexport interface A { b?: B }\n`,
        'src/modules/b/b.service.ts': `export type { C } from './c';\nexport interface B { n: number }\n`,
        'src/modules/b/c.ts': `export type C = import('../a/a.service').A;\n`,
      }),
    ).toEqual(['import cycle among: src/modules/a/a.service.ts, src/modules/b/b.service.ts, src/modules/b/c.ts']);
  });

  it('reports an upward import: core importing a module, a module importing the entry points', () => {
    expect(
      house({
        'src/core/ids.ts': `import { A } from '../modules/a/a';\nexport const id = A;\n`,
        'src/modules/a/a.ts': `export const A = 1;\n`,
        'src/modules/jobs.ts': `import type { Core } from '../boot';\nexport type Deps = Core;\n`,
        'src/boot.ts': `export interface Core { name: string }\n`,
      }),
    ).toEqual([
      'upward import: src/core/ids.ts (core) imports src/modules/a/a.ts (modules)',
      'upward import: src/modules/jobs.ts (modules) imports src/boot.ts (entry)',
    ]);
  });

  it('reports a file over the size limit, counting its lines, and not one at the limit', () => {
    const lines = (n: number) => 'export const x = 1;\n'.repeat(n);
    expect(house({ 'src/modules/a/big.ts': lines(MAX_LINES + 1), 'src/modules/a/full.ts': lines(MAX_LINES) })).toEqual([
      `src/modules/a/big.ts: ${MAX_LINES + 1} lines, over ${MAX_LINES}`,
    ]);
    expect(checkHouse([fact('test/e2e/long.test.ts', [], MAX_LINES + 1)])).toEqual([
      `test/e2e/long.test.ts: ${MAX_LINES + 1} lines, over ${MAX_LINES}`,
    ]);
  });

  it('reports nothing for a clean house: imports that only point down, no cycle', () => {
    expect(
      house({
        'src/core/ids.ts': `export function isUuid(v: string) { return v.length === 36; }\n`,
        'src/core/core.ts': `import type { Logger } from './logger';\nexport interface Core { log: Logger }\n`,
        'src/core/logger.ts': `export type Logger = { info(m: string): void };\n`,
        'src/modules/a/a.service.ts': `import { isUuid } from '../../core/ids';\nimport type { B } from '../b/b.types';\nexport const a = (b: B) => isUuid(b);\n`,
        'src/modules/b/b.types.ts': `export type B = string;\n`,
        'src/modules/job-types.ts': `import type { Core } from '../core/core';\nexport type Deps = Core;\n`,
        'src/modules/jobs.ts': `import type { Deps } from './job-types';\nimport { a } from './a/a.service';\nexport const jobs: Array<(d: Deps) => void> = [() => a('x')];\n`,
        'src/worker.ts': `import { jobs } from './modules/jobs';\nexport default jobs;\n`,
      }),
    ).toEqual([]);
  });

  it("reports what the README's Layout does not name: an entry of src/, a module, a docs page", () => {
    house({
      'src/main.ts': '',
      'src/core/ids.ts': '',
      'src/modules/claims/claims.service.ts': '',
      'src/modules/privacy/privacy.service.ts': '',
      'docs/scoring.md': '',
      'docs/privacy.md': '',
    });
    const layout = (body: string) => `# x\n\n## Layout\n\n\`\`\`\n${body}\n\`\`\`\n\n## Tests\n`;
    const full = 'src/main.ts  api\nsrc/core/  core\nsrc/modules/ claims\n             | privacy\ndocs/ scoring.md, privacy.md';
    expect(layoutGaps(layout(full), root)).toEqual([]);
    // "privacy" named only as privacy.md: the module is not on the src/modules/ lines.
    expect(layoutGaps(layout(full.replace('| privacy', '')), root)).toEqual(["README.md's Layout does not name module privacy"]);
    expect(layoutGaps(layout(full.replace('src/main.ts', 'main.ts').replace(', privacy.md', '')), root)).toEqual([
      "README.md's Layout does not name src/main.ts",
      "README.md's Layout does not name privacy.md",
    ]);
    expect(layoutGaps('# x\n\n## Tests\n', root)).toEqual(['README.md has no "## Layout" section']);
  });
});
