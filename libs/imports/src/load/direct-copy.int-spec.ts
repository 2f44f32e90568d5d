import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { ImportedCrime } from '../import-row.js';
import { DIRECT_COLUMNS, DIRECT_COPY_SQL, LOADER_ROLE, toDirectCopy } from './direct-copy.js';
import { CopyBinaryBuffer } from './staging.js';

// The loader role of the import's direct path (migration 1780000027200): exactly the rights it needs, and the
// force scope re-checked by the database, since row-level security does not bind it.
describe('the import loader role (real PostgreSQL)', () => {
  const owner = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  beforeAll(() => owner.connect());
  afterAll(() => owner.end());

  // One row in crimes' direct COPY layout, made as the import makes it: the staging layout, converted.
  const directRows = (forces: string[]) => {
    const staged = new CopyBinaryBuffer();
    forces.forEach((forceId, i) => {
      const crimeReference = `DIR-SCOPE-${randomUUID().slice(0, 8)}`;
      staged.append({
        status: 'accepted',
        line: i + 2,
        crimeReference,
        forceId,
        warnings: ['W-1'],
        acknowledged: [],
        findings: [],
        crime: {
          forceId,
          crimeReference,
          offenceCode: '71/17',
          reportedAt: new Date('2018-05-01T10:00:00Z'),
          recordedAt: new Date('2018-05-01T12:00:00Z'),
          offenceFrom: new Date('2018-04-20T18:00:00Z'),
          offenceTo: null,
          onlineFlag: 'yes',
          onlineMethod: 'messages',
          onlinePlatform: null,
          victimAge: 14,
          victimSex: 'female',
          suspectAge: null,
          domesticAbuse: false,
          hateStrands: ['race'],
          childSexualExploitation: false,
          childSexualAbuse: true,
          status: 'confirmed',
          acknowledge: [],
        } as ImportedCrime,
      });
    });
    return toDirectCopy(Buffer.from(staged.finish()), forces.length, 'loader-test', randomUUID());
  };

  const ids = (b: Buffer) =>
    Array.from({ length: b.length / 16 }, (_, i) =>
      b
        .toString('hex', i * 16, i * 16 + 16)
        .replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5'),
    );

  // As the app's own login role, in a transaction scoped to kent, switched to the loader as the import does.
  const copyAsLoader = async (forces: string[]) => {
    const c = new pg.Client({ connectionString: process.env.TEST_APP_DATABASE_URL });
    await c.connect();
    try {
      await c.query('BEGIN');
      await c.query(`SELECT set_config('cyberflag.forces', 'kent', true)`);
      await c.query(`SET LOCAL ROLE ${LOADER_ROLE}`);
      const batch = directRows(forces);
      await pipeline(Readable.from([batch.data]), c.query(copyFrom(DIRECT_COPY_SQL)));
      await c.query(`RESET ROLE`);
      const { rows } = await c.query<Record<string, unknown>>(
        `SELECT id, force_id, crime_reference, rule_warnings, hate_strands, created_by, updated_by, import_id
         FROM crimes WHERE id = ANY ($1::uuid[]) ORDER BY crime_reference`,
        [ids(batch.ids)],
      );
      await c.query('ROLLBACK');
      return { rows, batch };
    } finally {
      await c.end();
    }
  };

  it('COPYs converted rows into crimes, ids and importer included, in the scope of the transaction', async () => {
    const { rows, batch } = await copyAsLoader(['kent', 'kent']);
    expect(rows).toHaveLength(2);
    expect(rows.map((r) => r.id).sort()).toEqual(ids(batch.ids).sort());
    expect(rows[0]).toMatchObject({
      force_id: 'kent',
      rule_warnings: ['W-1'],
      hate_strands: ['race'],
      created_by: 'loader-test',
      updated_by: 'loader-test',
    });
    expect(batch.forceIds).toEqual(['kent', 'kent']);
    expect(batch.keys.split('\n')[0]).toMatch(/^kent\tDIR-SCOPE-[0-9a-f]{8}\t2\tt$/);
  });

  it('refuses a row of a force outside the scope, even beside rows inside it', async () => {
    await expect(copyAsLoader(['kent', 'surrey'])).rejects.toMatchObject({
      code: '42501',
      message: expect.stringContaining('force surrey is outside the force scope'),
    });
  });

  it('may insert exactly the direct COPY columns of crimes, and read none of it', async () => {
    const { rows } = await owner.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.column_privileges
       WHERE grantee = $1 AND table_name = 'crimes' AND privilege_type = 'INSERT'`,
      [LOADER_ROLE],
    );
    expect(rows.map((r) => r.column_name).sort()).toEqual([...DIRECT_COLUMNS].sort());
    const { rows: other } = await owner.query(
      `SELECT DISTINCT privilege_type FROM information_schema.column_privileges
       WHERE grantee = $1 AND table_name = 'crimes' AND privilege_type <> 'INSERT'`,
      [LOADER_ROLE],
    );
    expect(other).toEqual([]);
    const c = new pg.Client({ connectionString: process.env.TEST_APP_DATABASE_URL });
    await c.connect();
    try {
      await c.query('BEGIN');
      await c.query(`SET LOCAL ROLE ${LOADER_ROLE}`);
      await expect(c.query('SELECT count(*) FROM crimes')).rejects.toMatchObject({
        code: '42501',
      });
    } finally {
      await c.end();
    }
  });
});
