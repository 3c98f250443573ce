import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * GraphQL Code Generator: typed document nodes for the operations in examples/, against the
 * committed SDL. The output (src/client/generated/) is committed; `npm run codegen:check` (CI)
 * fails when it differs from what the examples and the schema generate, so an example that no
 * longer fits the schema, or a schema change that breaks one, fails CI (and the type check of the
 * code that reads the answers).
 */
const config: CodegenConfig = {
  schema: 'schema/schema.graphql',
  documents: ['examples/**/*.graphql'],
  ignoreNoDocuments: false,
  generates: {
    'src/client/generated/': {
      preset: 'client',
      // Plain typed documents: a fragment's fields are read where it is spread, no masking helpers.
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        onlyOperationTypes: true,
        enumsAsTypes: true,
        strictScalars: true,
        scalars: { DateTimeISO: 'string', JSONObject: 'Record<string, unknown>' },
      },
    },
  },
};

export default config;
