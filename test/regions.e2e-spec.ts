// Region arithmetic is written twice, in TypeScript (auth/regions.ts) and as the
// SQL function region_prefix of the CoreSchema migration: both must say the same.
import { DataSource } from 'typeorm';
import { parentRegion, regionColumnCoversSql, regionCovers, regionCoversSql, regionPrefix } from '../src/auth/regions';
import { SqlParams } from '../src/common/sql-params';
import { dataSourceOptions } from '../src/database/data-source-options';
import { migrate } from '../src/database/migrate';
import { createDatabase, databaseUrlFor, dropDatabase } from './support/test-app';

const CODES = ['000000', '330000', '330100', '330102', '330200', '310000', '310101', '331000', '330110', '100000'];

describe('regions', () => {
  it('covers its own level and below, never a sibling or a level above', () => {
    expect(regionPrefix('000000')).toBe('');
    expect(regionCovers('330000', '330102')).toBe(true);
    expect(regionCovers('330100', '330102')).toBe(true);
    expect(regionCovers('330100', '330200')).toBe(false);
    expect(regionCovers('330102', '330100')).toBe(false);
    expect(regionCovers('000000', '310101')).toBe(true);
    expect([parentRegion('330102'), parentRegion('330100'), parentRegion('330000'), parentRegion('000000')]).toEqual([
      '330100',
      '330000',
      '000000',
      '000000',
    ]);
  });

  describe('in SQL', () => {
    let name: string;
    let db: DataSource;

    beforeAll(async () => {
      name = await createDatabase();
      db = await new DataSource(dataSourceOptions(databaseUrlFor(name), 2)).initialize();
      await migrate(db);
    });

    afterAll(async () => {
      await db?.destroy();
      if (name) await dropDatabase(name);
    });

    it('region_prefix is regionPrefix', async () => {
      const rows: { code: string; prefix: string }[] = await db.query(
        `SELECT code, region_prefix(code) AS prefix FROM unnest($1::text[]) code`,
        [CODES],
      );
      expect(rows.map((r) => [r.code, r.prefix])).toEqual(CODES.map((c) => [c, regionPrefix(c)]));
    });

    it('both SQL forms of "covers" are regionCovers', async () => {
      const pairs = CODES.flatMap((scope) => CODES.map((code) => [scope, code]));
      for (const [scope, code] of pairs) {
        const params = new SqlParams();
        const codeParam = params.add(code);
        const scopeParam = params.add(scope);
        const [row] = await db.query(
          `SELECT ${regionCoversSql(scope, `${codeParam}::text`, params)} AS constant,
                  ${regionColumnCoversSql(`${scopeParam}::text`, `${codeParam}::text`)} AS column`,
          params.values,
        );
        expect([scope, code, row.constant, row.column]).toEqual([
          scope,
          code,
          regionCovers(scope, code),
          regionCovers(scope, code),
        ]);
      }
    });
  });
});
