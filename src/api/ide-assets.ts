import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The GraphQL IDE's files: GraphiQL 3's UMD bundle on React 18's UMD builds, a small boot script of
 * ours and the committed SDL. GraphiQL 3 rather than 5: 5 is ESM with Monaco and web workers, which
 * would need a bundler; 3's UMD file runs as it is shipped, and its stylesheet carries its fonts
 * inline (data: URLs), so the page needs no origin but the API's.
 *
 * `npm run build` copies them into dist/ide/ under content-hashed names (src/scripts/build-ide.ts);
 * the compiled API serves that copy and refuses to boot without it. Run from the sources (ts-node,
 * ts-jest) there is no build: the same files are read from node_modules and the repository.
 */
export type IdeAssetRole = 'react' | 'react-dom' | 'graphiql' | 'graphiql-css' | 'boot' | 'sdl';

export interface IdeAsset {
  role: IdeAssetRole;
  /** The served name: the source's name with a hash of its content, so it can be cached for good. */
  file: string;
  contentType: string;
  body: Buffer;
}

export type IdeAssets = Record<IdeAssetRole, IdeAsset>;

export interface IdeAssetsOrigin {
  assets: IdeAssets;
  /** Where they were read from, for the boot log. */
  from: 'build' | 'sources';
}

interface Source {
  role: IdeAssetRole;
  stem: string;
  ext: string;
  contentType: string;
  path(): string;
}

const REPOSITORY = path.resolve(__dirname, '../..');
const packageFile = (name: string, file: string) => path.join(path.dirname(require.resolve(`${name}/package.json`)), file);
const JS = 'text/javascript; charset=utf-8';

// The order is the page's script order: React, ReactDOM, GraphiQL (which needs both), then ours.
const SOURCES: Source[] = [
  { role: 'react', stem: 'react', ext: 'js', contentType: JS, path: () => packageFile('react', 'umd/react.production.min.js') },
  {
    role: 'react-dom',
    stem: 'react-dom',
    ext: 'js',
    contentType: JS,
    path: () => packageFile('react-dom', 'umd/react-dom.production.min.js'),
  },
  // Not in graphiql's package "exports": located beside its package.json.
  { role: 'graphiql', stem: 'graphiql', ext: 'js', contentType: JS, path: () => packageFile('graphiql', 'graphiql.min.js') },
  {
    role: 'graphiql-css',
    stem: 'graphiql',
    ext: 'css',
    contentType: 'text/css; charset=utf-8',
    path: () => packageFile('graphiql', 'graphiql.min.css'),
  },
  { role: 'boot', stem: 'ide', ext: 'js', contentType: JS, path: () => path.join(REPOSITORY, 'src/api/ide.client.js') },
  {
    role: 'sdl',
    stem: 'schema',
    ext: 'graphql',
    contentType: 'text/plain; charset=utf-8',
    path: () => path.join(REPOSITORY, 'schema/schema.graphql'),
  },
];

/** Where the build puts them, seen from the compiled dist/src/api/. */
const BUILT = path.resolve(__dirname, '../../ide');
const MANIFEST = 'manifest.json';
type Manifest = Array<Omit<IdeAsset, 'body'>>;

// The source maps named at the end of the bundles are not shipped: a browser's developer tools would
// ask for them and get a 404.
const withoutSourceMap = (body: Buffer, ext: string): Buffer =>
  ext === 'js' || ext === 'css' ? Buffer.from(body.toString('utf8').replace(/\n?\/[/*]# sourceMappingURL=\S+(\s*\*\/)?\s*$/, '\n')) : body;

/** Reads the IDE's files from node_modules and the repository (what the build copies). */
export function assembleIdeAssets(): IdeAssets {
  const assets = {} as IdeAssets;
  for (const source of SOURCES) {
    const body = withoutSourceMap(readFileSync(source.path()), source.ext);
    const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
    assets[source.role] = { role: source.role, file: `${source.stem}.${hash}.${source.ext}`, contentType: source.contentType, body };
  }
  return assets;
}

/** Writes the assets and their manifest into `directory` (the build's dist/ide). */
export function writeIdeAssets(assets: IdeAssets, directory: string): void {
  mkdirSync(directory, { recursive: true });
  const manifest: Manifest = [];
  for (const { body, ...entry } of Object.values(assets)) {
    writeFileSync(path.join(directory, entry.file), body);
    manifest.push(entry);
  }
  writeFileSync(path.join(directory, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
}

let loaded: IdeAssetsOrigin | undefined;

/**
 * The built copy when this code is compiled, the sources when it runs as TypeScript. A compiled
 * API without the copy is a broken build: it fails at boot rather than serving from node_modules,
 * which the production image does not have.
 */
export function loadIdeAssets(): IdeAssetsOrigin {
  // Once per process: the files do not change under it, and the tests boot many servers in one.
  loaded ??= path.extname(__filename) === '.ts' ? { assets: assembleIdeAssets(), from: 'sources' } : readIdeAssets(BUILT);
  return loaded;
}

/** What writeIdeAssets wrote into `directory`, checked complete. */
export function readIdeAssets(directory: string): IdeAssetsOrigin {
  const manifestPath = path.join(directory, MANIFEST);
  if (!existsSync(manifestPath)) throw new Error(`The GraphQL IDE's files are missing (${manifestPath}): run \`npm run build\``);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
  const assets = {} as IdeAssets;
  for (const entry of manifest) {
    const file = path.join(directory, entry.file);
    if (existsSync(file)) assets[entry.role] = { ...entry, body: readFileSync(file) };
  }
  const missing = SOURCES.filter((source) => !assets[source.role]).map((source) => source.role);
  if (missing.length > 0) throw new Error(`The GraphQL IDE's build lacks ${missing.join(', ')}: run \`npm run build\``);
  return { assets, from: 'build' };
}
