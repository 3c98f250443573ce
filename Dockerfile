# One image, two entry points: the API (default) and the worker (`node dist/src/worker.js`).
# It carries the compiled application, its migrations, the committed schema (schema/schema.graphql,
# which the IDE reads in production when introspection is off) and production packages only: no
# benchmark code (tsconfig.image.json leaves bench/ out), no tests, no development packages.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json tsconfig.image.json ormconfig.ts ./
COPY src ./src
COPY migrations ./migrations
# The committed SDL: the build copies it into dist/ide for the GraphQL IDE (introspection is off in production).
COPY schema ./schema
# npm prune keeps the TypeScript toolchain: typeorm names ts-node, and valibot (bull-board's)
# typescript, as optional peers. Nothing at runtime loads them (the image runs compiled .js), so
# they go too; test/unit/image.test.ts keeps this list in step with package-lock.json.
RUN npm run build:image && npm prune --omit=dev \
  && rm -rf node_modules/ts-node node_modules/typescript node_modules/@cspotcode node_modules/@jridgewell \
     node_modules/@tsconfig node_modules/acorn node_modules/acorn-walk node_modules/arg node_modules/create-require \
     node_modules/diff node_modules/make-error node_modules/v8-compile-cache-lib node_modules/yn node_modules/.bin/ts-* \
     node_modules/.bin/tsc node_modules/.bin/tsserver

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY schema/schema.graphql ./schema/schema.graphql
USER node
EXPOSE 4000 4001
# No HEALTHCHECK here: the API (4000, /readyz) and the worker (4001, /readyz) share the image, so
# each service declares its own in docker-compose.yml.
CMD ["node", "dist/src/main.js"]
