import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';

/**
 * The baseline of `npm run bench -- search`: Express 5 + Apollo 5 serving our committed SDL, with
 * eligibleInfluencers answering canned responses from memory (BARE_RESPONSE, a JSON file: the
 * response's `eligibleInfluencers` by the request's variables as JSON), the same query and response
 * bytes as the real endpoint, without authentication, database or type-graphql.
 */
async function main(): Promise<void> {
  const canned = JSON.parse(readFileSync(process.env.BARE_RESPONSE!, 'utf8')) as Record<string, unknown>;
  const typeDefs = readFileSync(path.resolve(__dirname, '..', '..', 'schema', 'schema.graphql'), 'utf8');
  const server = new ApolloServer<{ key: string }>({
    typeDefs,
    resolvers: { Query: { eligibleInfluencers: (_parent: unknown, _args: unknown, { key }: { key: string }) => canned[key] } },
    introspection: false,
  });
  await server.start();
  const app = express();
  app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    expressMiddleware(server, { context: async ({ req }) => ({ key: JSON.stringify(req.body.variables) }) }),
  );
  const httpServer = http.createServer(app);
  httpServer.listen(0, '127.0.0.1', () => {
    const { port } = httpServer.address() as AddressInfo;
    console.log(JSON.stringify({ url: `http://127.0.0.1:${port}/graphql`, msg: 'bare listening' }));
  });
  process.on('SIGTERM', () => httpServer.close(() => process.exit(0)));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
