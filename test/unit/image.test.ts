import { builtinModules } from 'node:module';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * What the Docker image carries, checked without a Docker engine: the application's code imports
 * only production packages (the image has no others), it never reaches into bench/ or test/ (the
 * image has neither), and the Dockerfile's removals after `npm prune --omit=dev` match the lockfile.
 */
const ROOT = path.resolve(__dirname, '../..');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const lock: Record<string, { dev?: boolean; devOptional?: boolean; dependencies?: object; optionalDependencies?: object }> = JSON.parse(
  readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8'),
).packages;
const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
const imageConfig: { include: string[]; exclude?: string[] } = JSON.parse(
  readFileSync(path.join(ROOT, 'tsconfig.image.json'), 'utf8').replace(/^\s*\/\/.*$/gm, ''),
);
/** Development tools under src/ that the image's build leaves out: nothing it carries may import them. */
const LEFT_OUT = new Set(imageConfig.exclude ?? []);

function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)));
}
const IMAGE_SOURCES = [...sources('src'), ...sources('migrations'), 'ormconfig.ts'].filter((file) => !LEFT_OUT.has(file));

/** Static imports, re-exports, side-effect imports, require() and import() with a literal; not `import type` (erased). */
function specifiers(file: string): string[] {
  const text = readFileSync(path.join(ROOT, file), 'utf8').replace(/^\s*(import|export) type\b[^;]*?\bfrom\s+['"][^'"]+['"];?/gm, '');
  const found: string[] = [];
  for (const m of text.matchAll(/(?:\bfrom\s+|\bimport\s+|\brequire(?:\.resolve)?\(\s*|\bimport\(\s*)['"]([^'"]+)['"]/g)) found.push(m[1]);
  return found;
}

const packageOf = (spec: string) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
const BUILTINS = new Set(builtinModules);

describe('the Docker image', () => {
  it('imports only production dependencies from the code it carries (src, migrations, ormconfig)', () => {
    expect(IMAGE_SOURCES.length).toBeGreaterThan(50);
    const wrong: string[] = [];
    for (const file of IMAGE_SOURCES) {
      for (const spec of specifiers(file)) {
        if (spec.startsWith('.')) {
          const target = path.relative(ROOT, path.resolve(ROOT, path.dirname(file), spec));
          if (/^(bench|test)(\/|$)/.test(target) || LEFT_OUT.has(`${target}.ts`)) wrong.push(`${file}: ${spec} (not in the image)`);
          continue;
        }
        if (spec.startsWith('node:') || BUILTINS.has(packageOf(spec))) continue;
        if (!pkg.dependencies[packageOf(spec)]) {
          wrong.push(`${file}: ${spec} (${pkg.devDependencies[packageOf(spec)] ? 'a devDependency' : 'not a dependency'})`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('is built without bench/ and test/, and carries the committed schema', () => {
    expect(imageConfig.include).toEqual(['src', 'migrations', 'ormconfig.ts']);
    expect(dockerfile).toContain('RUN npm run build:image && npm prune --omit=dev');
    expect(pkg.scripts['build:image']).toBe(
      'rm -rf dist && tsc -p tsconfig.image.json && ts-node --transpile-only src/scripts/build-ide.ts',
    );
    expect(dockerfile).not.toMatch(/^COPY[ \t]+([^\s]+[ \t]+)*(\.\/)?(bench|test)\b/m);
    expect(dockerfile).toMatch(/^COPY schema\/schema\.graphql \.\/schema\/schema\.graphql$/m);
  });

  it('removes after the prune exactly the development packages npm keeps as optional peers', () => {
    const removed = [...dockerfile.matchAll(/\bnode_modules\/[^\s\\]+/g)].map((m) => m[0]).filter((p) => !p.includes('/.bin/'));
    const covered = (p: string) => removed.some((r) => p === r || p.startsWith(`${r}/`));
    const nameOf = (p: string) => p.slice(p.lastIndexOf('node_modules/') + 'node_modules/'.length);
    const kept = Object.entries(lock).filter(([p, e]) => p !== '' && !e.dev && !e.devOptional);
    // Nothing production needs is deleted ...
    expect(kept.map(([p]) => p).filter(covered)).toEqual([]);
    // ... and every package kept only for development (or as nobody's regular dependency) is.
    // What kept packages need, followed through the packages they need (by name: close enough for hoisted trees).
    const dependenciesOf = (e: (typeof kept)[number][1]) => [
      ...Object.keys(e.dependencies ?? {}),
      ...Object.keys(e.optionalDependencies ?? {}),
    ];
    const byName = new Map(Object.entries(lock).map(([p, e]) => [nameOf(p), e]));
    const needed = new Set<string>();
    const pending = kept.flatMap(([, e]) => dependenciesOf(e));
    while (pending.length) {
      const name = pending.pop()!;
      if (needed.has(name)) continue;
      needed.add(name);
      const entry = byName.get(name);
      if (entry) pending.push(...dependenciesOf(entry));
    }
    const left = Object.entries(lock)
      .filter(([p, e]) => e.devOptional && !covered(p) && !needed.has(nameOf(p)))
      .map(([p]) => p);
    expect(left).toEqual([]);
  });
});
