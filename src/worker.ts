// `npm run start:worker`: the same process without the HTTP API (RUN_API=false),
// only the queue workers, the outbox relay and the deadline sweeper.
process.env.RUN_API = 'false';
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('./main');
