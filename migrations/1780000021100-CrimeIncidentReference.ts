import type { MigrationInterface, QueryRunner } from 'typeorm';

// Issue 20 §5: the Principal Crime Rule (HOCR Section F) needs to know which records were entered for one incident.
// Nothing in the record said so: a crime gets the force's incident (log) reference, optional, shared by the records
// of one incident within the force. Looked up by (force_id, incident_reference), so indexed that way.
export class CrimeIncidentReference1780000021100 implements MigrationInterface {
  name = 'CrimeIncidentReference1780000021100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE crimes ADD COLUMN incident_reference text
        CONSTRAINT ck_crimes_incident_reference CHECK (incident_reference ~ '^[A-Za-z0-9][A-Za-z0-9/._-]{0,63}$')`);
    await q.query(`
      CREATE INDEX ix_crimes_incident ON crimes (force_id, incident_reference)
      WHERE incident_reference IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_crimes_incident`);
    await q.query(`ALTER TABLE crimes DROP COLUMN incident_reference`);
  }
}
