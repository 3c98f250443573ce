import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, Kind, parse, validate, type DocumentNode } from 'graphql';
import { operationName } from '../../src/client/execute';
import * as Examples from '../../src/client/generated/graphql';

/**
 * examples/ against the committed SDL: every file parses, holds exactly one named operation (and
 * only the fragments it uses), and validates, so that `npm test` fails on an example the schema no
 * longer answers. (`npm run codegen:check` separately fails when the generated client is stale.)
 */

const ROOT = path.resolve(__dirname, '../..');
const EXAMPLES = path.join(ROOT, 'examples');
const JOURNEYS = ['accounts', 'operator', 'connector', 'brand', 'agency', 'influencer'];

function exampleFiles(): string[] {
  return readdirSync(EXAMPLES, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.graphql'))
    .map((f) => f.split(path.sep).join('/'))
    .sort();
}

const schema = buildSchema(readFileSync(path.join(ROOT, 'schema/schema.graphql'), 'utf8'));

describe('examples/', () => {
  const files = exampleFiles();

  it('has each journey, its files named <journey>/NN-step-name.graphql', () => {
    expect(new Set(files.map((f) => f.split('/')[0]))).toEqual(new Set(JOURNEYS));
    for (const file of files) expect(file).toMatch(/^[a-z]+\/\d\d-[a-z0-9-]+\.graphql$/);
  });

  it.each(files)('%s parses, holds one named operation and validates against schema/schema.graphql', (file) => {
    const document = parse(readFileSync(path.join(EXAMPLES, file), 'utf8'));
    const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
    expect(operations).toHaveLength(1);
    expect(operations[0].name?.value).toMatch(/^[A-Z][A-Za-z]+$/);
    expect(validate(schema, document).map((e) => e.message)).toEqual([]);
  });

  it('names each operation once, and the generated client has a typed document for each', () => {
    const names = files.map((file) => operationName(parse(readFileSync(path.join(EXAMPLES, file), 'utf8'))));
    expect(new Set(names).size).toBe(names.length);
    const generated = Object.entries(Examples)
      .filter(([key]) => key.endsWith('Document'))
      .map(([, document]) => operationName(document as DocumentNode));
    expect(generated.sort()).toEqual([...names].sort());
  });

  it('fails validation on an operation the schema does not answer (the check can fail)', () => {
    const broken = parse('query Broken { me { id noSuchField } }');
    expect(validate(schema, broken).map((e) => e.message)).toEqual(['Cannot query field "noSuchField" on type "User".']);
  });
});
