import pg from 'pg';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { AccessLogService } from './access-log.service.js';

// The auditors' filters by record and by force run on the access log's GIN indexes, not on a scan of every
// entry (an import writes 10,000 record ids per entry, so a scan reads them all).
describe('access log filters (real PostgreSQL)', () => {
  const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  const service = new AccessLogService();
  const em = { query: (sql: string, params: unknown[]) => client.query(sql, params).then((r) => r.rows) } as unknown as EntityManager;
  const [mine, other] = [randomUUID(), randomUUID()];

  beforeAll(async () => {
    await client.connect();
    await service.record(em, { userId: 'filters-spec', action: 'consultation', forceIds: ['derbyshire'], route: 'spec', recordIds: [mine, randomUUID()], recordCount: 2 });
    await service.record(em, { userId: 'filters-spec', action: 'consultation', forceIds: ['kent'], route: 'spec', recordIds: [other], recordCount: 1 });
  });
  afterAll(() => client.end());

  it('finds the entries that name a record, and only those', async () => {
    const found = await service.list(em, 'all', { recordId: mine, limit: 100 });
    expect(found.map((e) => e.userId)).toEqual(['filters-spec']);
    expect(found[0].recordIds).toContain(mine);
    expect(await service.list(em, ['kent'], { recordId: mine, limit: 100 })).toEqual([]); // out of scope
  });

  it('filters by force', async () => {
    const found = await service.list(em, 'all', { userId: 'filters-spec', forceId: 'kent', limit: 100 });
    expect(found.map((e) => e.recordIds)).toEqual([[other]]);
  });

  it('can answer both filters from the GIN indexes', async () => {
    const plan = async (f: { recordId?: string; forceId?: string }) => {
      await client.query('BEGIN');
      try {
        await client.query('SET LOCAL enable_seqscan = off'); // the table is small here; ask whether an index CAN serve
        let text = '';
        const explain = {
          query: async (sql: string, params: unknown[]) => {
            text = (await client.query(`EXPLAIN ${sql}`, params)).rows.map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN']).join('\n');
            return [];
          },
        } as unknown as EntityManager;
        await service.list(explain, 'all', { ...f, limit: 10 });
        return text;
      } finally {
        await client.query('ROLLBACK');
      }
    };
    expect(await plan({ recordId: mine })).toContain('ix_access_log_record_ids');
    expect(await plan({ forceId: 'kent' })).toContain('ix_access_log_force_ids');
  });
});
