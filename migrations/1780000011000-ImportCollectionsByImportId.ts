import type { MigrationInterface, QueryRunner } from 'typeorm';

// The access-log entries in which an import records the crimes it created ('collection' with query.importId)
// list every record id, as all entries do (and the hash chain covers them), but are no longer put in the GIN
// index on record_ids: 10,000 ids per entry made it ~5 % of an import's database time. Those records carry
// the import's id (crimes.import_id), so the filter by record finds the entry through it instead: a lookup by
// id in crimes, then this expression index. import_id is set when an import creates the record and can never
// change, so the link holds. Every other entry, an import's amendments included, stays in the GIN index.
// record_ids is stored uncompressed (EXTERNAL): ids are mostly random bits, and pglz spent ~1.5 % of an import's
// database time compressing 160 kB per entry for little gain. Existing entries keep their storage.
export class ImportCollectionsByImportId1780000011000 implements MigrationInterface {
  name = 'ImportCollectionsByImportId1780000011000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE access_log ALTER COLUMN record_ids SET STORAGE EXTERNAL`);
    await q.query(`DROP INDEX ix_access_log_record_ids`);
    // The predicate is spelled exactly as AccessLogService's filter spells it, so the planner can use the index.
    await q.query(`
      CREATE INDEX ix_access_log_record_ids ON access_log USING gin (record_ids)
      WHERE (action <> 'collection' OR query IS NULL OR NOT query ? 'importId')`);
    await q.query(`
      CREATE INDEX ix_access_log_import_collections ON access_log ((query ->> 'importId'))
      WHERE action = 'collection' AND query ? 'importId'`);
    await q.query(`
      CREATE FUNCTION refuse_import_id_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'crimes.import_id records the import that created the record and cannot change'
          USING ERRCODE = 'P0001';
      END $$`);
    // OF import_id: fires only for statements that set the column, which nothing in the application does.
    await q.query(`
      CREATE TRIGGER tr_crimes_import_id_fixed BEFORE UPDATE OF import_id ON crimes
      FOR EACH ROW WHEN (OLD.import_id IS DISTINCT FROM NEW.import_id) EXECUTE FUNCTION refuse_import_id_change()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER tr_crimes_import_id_fixed ON crimes`);
    await q.query(`DROP FUNCTION refuse_import_id_change()`);
    await q.query(`DROP INDEX ix_access_log_import_collections`);
    await q.query(`DROP INDEX ix_access_log_record_ids`);
    await q.query(`CREATE INDEX ix_access_log_record_ids ON access_log USING gin (record_ids)`);
    await q.query(`ALTER TABLE access_log ALTER COLUMN record_ids SET STORAGE EXTENDED`);
  }
}
