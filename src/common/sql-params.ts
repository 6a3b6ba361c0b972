import type { EntityManager } from 'typeorm';

/** Collects positional parameters while a query is assembled: `params.add(v)` returns `$n`. */
export class SqlParams {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** A DataSource or an EntityManager (a transaction): whatever runs a repository's query. */
export type Queryable = Pick<EntityManager, 'query'>;
