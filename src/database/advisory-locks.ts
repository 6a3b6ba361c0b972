// Every PostgreSQL advisory lock the service takes, in one place, so two
// purposes cannot share a key by accident. Keys are database-wide: processes
// of one deployment (and its scripts) contend on them.
export enum AdvisoryLock {
  /** Schema migrations at boot: one replica migrates, the others wait (session lock, migrate.ts). */
  Migrations = 7_364_211,
  /** Creating the first admin on an empty database, so replicas booting together create one (DirectoryService). */
  BootstrapAdmin = 7_364_212,
  /** Calendar changes and the recount of pending deadlines they cause, one at a time (CalendarsService). */
  CalendarChange = 7_364_213,
  /** One `npm run demo` seeding at a time on a database (session lock, scripts/demo.ts). */
  DemoSeed = 7_364_214,
  /**
   * Screening rules: a rule change (exclusive) re-screens the cases it affects while case
   * writes (shared) wait, so no case is screened on rules a committing change replaces.
   */
  ScreeningRules = 7_364_215,
}
