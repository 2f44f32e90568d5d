import { DataSource, type QueryRunner } from 'typeorm';
import { CatchUpEditedMigrations1780000019000 } from './1780000019000-CatchUpEditedMigrations.js';

// The test database ran every migration as it is now (the edited state). Each test works in a transaction it
// rolls back, so the schema other specs see is untouched.
describe('migration 1780000019000: databases migrated before the edits to 7000 and 11000', () => {
  const ds = new DataSource({ type: 'postgres', url: process.env.TEST_DATABASE_URL });
  let q: QueryRunner;
  const migration = new CatchUpEditedMigrations1780000019000();

  type State = { checkOid: number; checkDef: string; validated: boolean; storage: string };
  const state = async (): Promise<State> => {
    const [c] = (await q.query(
      `SELECT oid::int AS "checkOid", pg_get_constraintdef(oid) AS "checkDef", convalidated AS validated
         FROM pg_constraint WHERE conrelid = 'crimes'::regclass AND conname = 'ck_crimes_reference'`,
    )) as Omit<State, 'storage'>[];
    const [a] = (await q.query(
      `SELECT attstorage AS storage FROM pg_attribute
        WHERE attrelid = 'access_log'::regclass AND attname = 'record_ids'`,
    )) as { storage: string }[];
    return { ...c!, storage: a!.storage };
  };

  beforeAll(async () => {
    await ds.initialize();
  });
  afterAll(async () => {
    await ds.destroy();
  });
  beforeEach(async () => {
    q = ds.createQueryRunner();
    await q.startTransaction();
  });
  afterEach(async () => {
    await q.rollbackTransaction();
    await q.release();
  });

  it('brings the old check and storage to the edited state', async () => {
    const edited = await state();
    expect(edited.checkDef).toContain('char_length(crime_reference) <= 64');
    expect(edited.storage).toBe('e');

    // What 7000 and 11000 left before they were edited.
    await q.query(`
      ALTER TABLE crimes DROP CONSTRAINT ck_crimes_reference,
        ADD CONSTRAINT ck_crimes_reference CHECK (crime_reference ~ '^[A-Za-z0-9][A-Za-z0-9/_.:-]{0,63}$')`);
    await q.query(`ALTER TABLE access_log ALTER COLUMN record_ids SET STORAGE EXTENDED`);
    const old = await state();
    expect(old.checkDef).toContain('{0,63}');
    expect(old.storage).toBe('x');

    await migration.up(q);
    const after = await state();
    expect({ ...after, checkOid: 0 }).toEqual({ ...edited, checkOid: 0 });
    expect(after.validated).toBe(true);
  });

  it('changes nothing in a database migrated after the edits, however often it runs', async () => {
    const before = await state();
    await migration.up(q);
    await migration.up(q);
    // Same constraint object (not dropped and re-added) and the same storage.
    expect(await state()).toEqual(before);
  });
});
