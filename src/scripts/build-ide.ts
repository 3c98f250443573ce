import path from 'node:path';
import { assembleIdeAssets, writeIdeAssets } from '../api/ide-assets';

/**
 * Part of `npm run build`: copies the GraphQL IDE's files (GraphiQL, React, the boot script, the
 * committed SDL) into dist/ide/ under content-hashed names, where the compiled API serves them
 * from. Run from the sources (ts-node), where ide-assets.ts finds node_modules and the repository.
 */
function main(): void {
  const target = path.resolve(__dirname, '../../dist/ide');
  const assets = assembleIdeAssets();
  writeIdeAssets(assets, target);
  const total = Object.values(assets).reduce((sum, asset) => sum + asset.body.length, 0);
  console.log(
    `wrote ${Object.keys(assets).length} GraphQL IDE files (${Math.round(total / 1024)} KiB) to ${path.relative(process.cwd(), target)}`,
  );
}

main();
