import type { MigrationInterface, QueryRunner } from 'typeorm';

// Issue 20 §3: a crime can be transferred to an investigating authority outside the 44 forces (Police Scotland,
// PSNI, other agencies of HOCR General Rules Section I), kept as catalogue data in investigating_authorities
// (synced from libs/catalogue/data/authorities.json like forces). A transferred record names exactly one
// receiver: a force or an authority. Transfers are single-record writes, so a plain foreign key serves here.
export class TransfersToOtherAuthorities1780000012300 implements MigrationInterface {
  name = 'TransfersToOtherAuthorities1780000012300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE investigating_authorities (
        id text CONSTRAINT pk_investigating_authorities PRIMARY KEY,
        name text NOT NULL,
        jurisdiction text NOT NULL,
        source text NOT NULL
      )`);
    await q.query(`GRANT SELECT ON investigating_authorities TO cyberflag_app`);
    await q.query(`
      ALTER TABLE crimes
        ADD COLUMN transferred_to_authority_id text
          CONSTRAINT fk_crimes_transferred_to_authority REFERENCES investigating_authorities (id),
        DROP CONSTRAINT ck_crimes_transfer,
        ADD CONSTRAINT ck_crimes_transfer CHECK (
          (status = 'transferred') = (num_nonnulls(transferred_to_force_id, transferred_to_authority_id) = 1)
          AND (status = 'transferred' OR transferred_to_authority_id IS NULL))`);
  }

  // Fails (and changes nothing) while a record is transferred to an authority.
  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE crimes
        DROP CONSTRAINT ck_crimes_transfer,
        ADD CONSTRAINT ck_crimes_transfer CHECK ((status = 'transferred') = (transferred_to_force_id IS NOT NULL)),
        DROP COLUMN transferred_to_authority_id`);
    await q.query(`DROP TABLE investigating_authorities`);
  }
}
