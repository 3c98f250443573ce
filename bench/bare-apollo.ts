import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';

/**
 * The baseline of `npm run bench -- search`: Express 5 + Apollo 5 serving our committed SDL, with
 * eligibleInfluencers answering a canned response (BARE_RESPONSE, a JSON file) from memory: the
 * same query and response bytes as the real endpoint, without authentication, database or type-graphql.
 */
async function main(): Promise<void> {
  const canned = JSON.parse(readFileSync(process.env.BARE_RESPONSE!, 'utf8'));
  const typeDefs = readFileSync(path.resolve(__dirname, '..', '..', 'schema', 'schema.graphql'), 'utf8');
  const server = new ApolloServer({
    typeDefs,
    resolvers: { Query: { eligibleInfluencers: () => canned } },
    introspection: false,
  });
  await server.start();
  const app = express();
  app.use('/graphql', express.json({ limit: '1mb' }), expressMiddleware(server));
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
