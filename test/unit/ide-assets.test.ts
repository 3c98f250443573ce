import { mkdtempSync, readdirSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { assembleIdeAssets, readIdeAssets, writeIdeAssets } from '../../src/api/ide-assets';

/**
 * What `npm run build` writes into dist/ide and the compiled API reads back (the browser test
 * serves the files from the sources, where there is no build).
 */
describe('the GraphQL IDE files', () => {
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(path.join(tmpdir(), 'perks-ide-'));
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('are read back as the build wrote them, under content-hashed names', () => {
    const assets = assembleIdeAssets();
    writeIdeAssets(assets, directory);
    const read = readIdeAssets(directory);
    expect(read.from).toBe('build');
    expect(Object.keys(read.assets).sort()).toEqual(Object.keys(assets).sort());
    for (const asset of Object.values(assets)) {
      const { body, ...entry } = read.assets[asset.role];
      expect(entry).toEqual({ role: asset.role, file: asset.file, contentType: asset.contentType });
      // Buffer.equals: jest's deep equality walks a megabyte byte by byte.
      expect(body.equals(asset.body)).toBe(true);
      expect(asset.file).toMatch(/^[a-z-]+\.[0-9a-f]{12}\.(js|css|graphql)$/);
      // Source maps are not shipped, so nothing may name one.
      expect(asset.body.toString('utf8')).not.toContain('sourceMappingURL');
    }
    expect(readdirSync(directory).sort()).toEqual([...Object.values(assets).map((asset) => asset.file), 'manifest.json'].sort());
    expect(assets.sdl.body.toString('utf8')).toContain('type Query {');
  });

  it('refuse an incomplete build, saying what to run, rather than serve a page that cannot load', () => {
    expect(() => readIdeAssets(directory)).toThrow(/GraphQL IDE's files are missing .*run `npm run build`/);
    const assets = assembleIdeAssets();
    writeIdeAssets(assets, directory);
    unlinkSync(path.join(directory, assets.graphiql.file));
    expect(() => readIdeAssets(directory)).toThrow(/GraphQL IDE's build lacks graphiql: run `npm run build`/);
  });
});
