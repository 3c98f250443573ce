/**
 * The house's shape, checked: no import cycle (type-only imports included), no upward import, no
 * source file over the size limit. `--report` also prints the largest files and functions.
 *
 *   npm run house:check            exit 1 and one line per breach
 *   npm run house:check -- --report
 *
 * Written on the TypeScript compiler's parser (already a dependency) rather than madge: madge skips
 * `import type` by default and knows nothing of our floors.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(__dirname, '..', '..');
const ROOTS = ['src', 'bench', 'test', 'migrations', 'ormconfig.ts', 'codegen.ts'];
/** Files written by a generator, not by us: exempt from the size limit. */
const GENERATED = /^src\/client\/generated\//;
export const MAX_LINES = 600;

/**
 * The floors, lowest first. A file may import its own floor or a lower one. Everything under src/
 * belongs to exactly one floor; bench/, test/, migrations/ stand beside the house and may import it.
 */
export const FLOORS: Array<{ name: string; match: RegExp }> = [
  { name: 'core', match: /^src\/core\// },
  { name: 'modules', match: /^src\/modules\// },
  { name: 'client', match: /^src\/client\// },
  { name: 'api', match: /^src\/api\// },
  { name: 'entry', match: /^src\/(boot|main|worker)\.ts$|^src\/(cli|scripts)\// },
];

export interface SourceFacts {
  file: string;
  lines: number;
  imports: string[];
  functions: Array<{ name: string; lines: number }>;
}

/** The .ts/.js files under `path` (relative to `root`), as paths relative to `root`. */
export function listFiles(path: string, root = ROOT, out: string[] = []): string[] {
  const full = join(root, path);
  if (!existsSync(full)) return out;
  if (statSync(full).isFile()) {
    if (/\.(ts|js)$/.test(path) && !path.endsWith('.d.ts')) out.push(path);
    return out;
  }
  for (const entry of readdirSync(full).sort()) listFiles(join(path, entry), root, out);
  return out;
}

function resolveImport(root: string, from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = join(dirname(from), spec);
  for (const candidate of [base, `${base}.ts`, `${base}.js`, join(base, 'index.ts')]) {
    const full = join(root, candidate);
    if (existsSync(full) && statSync(full).isFile()) return relative(root, full);
  }
  return undefined;
}

function functionName(node: ts.Node, source: ts.SourceFile): string | undefined {
  if (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) {
    const owner = ts.isMethodDeclaration(node) && ts.isClassLike(node.parent) ? `${node.parent.name?.text ?? '?'}.` : '';
    return node.name ? owner + node.name.getText(source) : undefined;
  }
  if ((ts.isArrowFunction(node) || ts.isFunctionExpression(node)) && ts.isVariableDeclaration(node.parent)) {
    return node.parent.name.getText(source);
  }
  if (ts.isConstructorDeclaration(node) && ts.isClassLike(node.parent)) return `${node.parent.name?.text ?? '?'}.constructor`;
  return undefined;
}

/** One file's facts; `file` is relative to `root` (the repository, or a test's temporary tree). */
export function readFacts(file: string, root = ROOT): SourceFacts {
  const text = readFileSync(join(root, file), 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const imports = new Set<string>();
  const functions: SourceFacts['functions'] = [];
  const lineOf = (pos: number) => source.getLineAndCharacterOfPosition(pos).line;
  const visit = (node: ts.Node) => {
    let spec: string | undefined;
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      spec = node.moduleSpecifier.text;
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      spec = node.argument.literal.text;
    } else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require')) &&
      node.arguments.length === 1 &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      spec = node.arguments[0].text;
    }
    if (spec) {
      const target = resolveImport(root, file, spec);
      if (target) imports.add(target);
    }
    const name = functionName(node, source);
    if (name && 'body' in node && node.body) {
      functions.push({ name, lines: lineOf(node.getEnd()) - lineOf(node.getStart(source)) + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  const lines = text.endsWith('\n') ? text.split('\n').length - 1 : text.split('\n').length;
  return { file, lines, imports: [...imports].sort(), functions };
}

export function floorOf(file: string): number | undefined {
  const index = FLOORS.findIndex((floor) => floor.match.test(file));
  return index < 0 ? undefined : index;
}

/** Strongly connected components with more than one file (or a file importing itself): Tarjan. */
export function importCycles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const connect = (v: string) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(component.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) connect(v);
  return cycles;
}

export function checkHouse(facts: SourceFacts[]): string[] {
  const breaches: string[] = [];
  const graph = new Map(facts.map((f) => [f.file, f.imports]));
  for (const cycle of importCycles(graph)) breaches.push(`import cycle among: ${cycle.join(', ')}`);
  for (const f of facts) {
    if (f.file.startsWith('src/')) {
      const own = floorOf(f.file);
      if (own === undefined) breaches.push(`${f.file}: belongs to no floor (see FLOORS in src/scripts/check-house.ts)`);
      for (const target of f.imports) {
        if (!target.startsWith('src/')) continue;
        const theirs = floorOf(target);
        if (own !== undefined && theirs !== undefined && theirs > own) {
          breaches.push(`upward import: ${f.file} (${FLOORS[own].name}) imports ${target} (${FLOORS[theirs].name})`);
        }
      }
    }
    if (f.lines > MAX_LINES && !GENERATED.test(f.file)) breaches.push(`${f.file}: ${f.lines} lines, over ${MAX_LINES}`);
  }
  return breaches;
}

/**
 * The README's Layout section must name every entry of the tree a newcomer looks for: the folders
 * and files at the top of src/, every module, every docs page and the folders beside src/. Returns
 * what it misses.
 */
export function layoutGaps(readme: string, root = ROOT): string[] {
  const section = /^## Layout\n([\s\S]*?)(?=^## )/m.exec(readme)?.[1];
  if (!section) return ['README.md has no "## Layout" section'];
  const entries = (dir: string, keep: (name: string, isDir: boolean) => boolean) =>
    readdirSync(join(root, dir), { withFileTypes: true })
      .filter((e) => keep(e.name, e.isDirectory()))
      .map((e) => e.name);
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const word = (text: string, within: string) => new RegExp(`(^|[^\\w./-])${escape(text)}($|[^\\w-])`, 'm').test(within);
  // The modules are named on the src/modules/ line and the indented lines that continue it.
  const modulesBlock = /^src\/modules\/.*(\n[ \t]+.*)*/m.exec(section)?.[0] ?? '';
  const gaps = [
    ...entries('src', (name, isDir) => isDir || name.endsWith('.ts'))
      .map((name) => `src/${name}`)
      .filter((entry) => !word(entry, section) && !word(`${entry}/`, section)),
    ...entries('src/modules', (_name, isDir) => isDir)
      .filter((name) => !word(name, modulesBlock))
      .map((name) => `module ${name}`),
    ...entries('docs', (name) => name.endsWith('.md')).filter((name) => !word(name, section)),
    ...['migrations', 'schema', 'examples', 'test', 'bench', 'docs']
      .filter((dir) => existsSync(join(root, dir)) && !word(`${dir}/`, section))
      .map((dir) => `${dir}/`),
  ];
  return gaps.map((entry) => `README.md's Layout does not name ${entry}`);
}

function main(): void {
  const files = ROOTS.flatMap((path) => listFiles(path));
  const facts = files.map((file) => readFacts(file));
  if (process.argv.includes('--report')) {
    const own = facts.filter((f) => !GENERATED.test(f.file));
    console.log('largest files (lines):');
    for (const f of [...own].sort((a, b) => b.lines - a.lines).slice(0, 12)) console.log(`  ${String(f.lines).padStart(5)}  ${f.file}`);
    console.log('largest functions (lines):');
    const functions = own.flatMap((f) => f.functions.map((fn) => ({ ...fn, file: f.file })));
    for (const fn of functions.sort((a, b) => b.lines - a.lines).slice(0, 12)) {
      console.log(`  ${String(fn.lines).padStart(5)}  ${fn.name} (${fn.file})`);
    }
  }
  const breaches = [...checkHouse(facts), ...layoutGaps(readFileSync(join(ROOT, 'README.md'), 'utf8'))];
  for (const breach of breaches) console.log(breach);
  console.log(
    `${files.length} files: ${breaches.length ? `${breaches.length} breaches` : 'no cycle, no upward import, none over the limit'}`,
  );
  if (breaches.length) process.exitCode = 1;
}

if (require.main === module) main();
