import pg from 'pg';
import { randomUUID } from 'node:crypto';
import { insertCrimeRow, rowsOf } from '#libs/crimes/testing';
import type { EntityManager } from 'typeorm';
import type { ScopedDb } from '#libs/persistence';
import { AccessLogService } from './access-log.service.js';

// The auditors' filters by record and by force run on the access log's indexes, not on a scan of every entry
// (an import writes 10,000 record ids per entry, so a scan reads them all).
describe('access log filters (real PostgreSQL)', () => {
  const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  const service = new AccessLogService(null as unknown as ScopedDb); // list() only: the em is given
  const em = {
    query: (sql: string, params: unknown[]) => client.query(sql, params).then((r) => r.rows),
  } as unknown as EntityManager;
  const [mine, other] = [randomUUID(), randomUUID()];
  const importId = randomUUID();
  const imported: string[] = [];

  beforeAll(async () => {
    await client.connect();
    // Two records created by an import, and the import's collection entry naming them (as the merge writes it).
    for (let i = 0; i < 2; i++) {
      imported.push(
        await insertCrimeRow(rowsOf(client), {
          crime_reference: `FILTERS-${importId.slice(0, 8)}-${i}`,
          import_id: importId,
        }),
      );
    }
    await service.record(em, {
      userId: 'filters-import',
      action: 'collection',
      forceIds: ['derbyshire'],
      route: 'spec',
      query: { importId },
      recordIds: imported,
      recordCount: 2,
    });
    await service.record(em, {
      userId: 'filters-reader',
      action: 'consultation',
      forceIds: ['derbyshire'],
      route: 'spec',
      recordIds: [imported[1]],
      recordCount: 1,
    });
    await service.record(em, {
      userId: 'filters-spec',
      action: 'consultation',
      forceIds: ['derbyshire'],
      route: 'spec',
      recordIds: [mine, randomUUID()],
      recordCount: 2,
    });
    await service.record(em, {
      userId: 'filters-spec',
      action: 'consultation',
      forceIds: ['kent'],
      route: 'spec',
      recordIds: [other],
      recordCount: 1,
    });
  });
  afterAll(() => client.end());

  it('finds the entries that name a record, and only those', async () => {
    const found = await service.list(em, 'all', { recordId: mine, limit: 100 });
    expect(found.map((e) => e.userId)).toEqual(['filters-spec']);
    expect(found[0].recordIds).toContain(mine);
    expect(await service.list(em, ['kent'], { recordId: mine, limit: 100 })).toEqual([]); // out of scope
  });

  it("finds an import's collection entry by a record it created (through crimes.import_id), beside other entries", async () => {
    const users = async (id: string) =>
      (await service.list(em, 'all', { recordId: id, limit: 100 })).map((e) => e.userId);
    expect(await users(imported[0])).toEqual(['filters-import']);
    expect(await users(imported[1])).toEqual(['filters-import', 'filters-reader']);
    expect(await users(randomUUID())).toEqual([]);
  });

  it('refuses to change the import a record came from', async () => {
    await expect(
      client.query(`UPDATE crimes SET import_id = $2 WHERE id = $1`, [imported[0], randomUUID()]),
    ).rejects.toThrow(/cannot change/);
    await expect(
      client.query(`UPDATE crimes SET import_id = NULL WHERE id = $1`, [imported[0]]),
    ).rejects.toThrow(/cannot change/);
    await client.query(`UPDATE crimes SET updated_by = 'filters-spec' WHERE id = $1`, [
      imported[0],
    ]); // other changes go through
  });

  it('filters by force', async () => {
    const found = await service.list(em, 'all', {
      userId: 'filters-spec',
      forceId: 'kent',
      limit: 100,
    });
    expect(found.map((e) => e.recordIds)).toEqual([[other]]);
  });

  it('can answer both filters from indexes', async () => {
    const plan = async (f: { recordId?: string; forceId?: string }) => {
      await client.query('BEGIN');
      try {
        await client.query('SET LOCAL enable_seqscan = off'); // the table is small here; ask whether an index CAN serve
        let text = '';
        const explain = {
          query: async (sql: string, params: unknown[]) => {
            text = (await client.query(`EXPLAIN ${sql}`, params)).rows
              .map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN'])
              .join('\n');
            return [];
          },
        } as unknown as EntityManager;
        await service.list(explain, 'all', { ...f, limit: 10 });
        return text;
      } finally {
        await client.query('ROLLBACK');
      }
    };
    const byRecord = await plan({ recordId: mine });
    expect(byRecord).toContain('ix_access_log_record_ids');
    expect(byRecord).toContain('ix_access_log_import_collections');
    expect(await plan({ forceId: 'kent' })).toContain('ix_access_log_force_ids');
  });
});
