import type { MigrationInterface, QueryRunner } from 'typeorm';

// Issue #22 item 4: an import whose rows are all new COPYs them straight into crimes. PostgreSQL refuses COPY FROM
// into a table under row-level security for a role the policies bind, so the import switches, for that one
// statement, to cyberflag_loader: it bypasses row-level security but may do nothing except insert these columns
// of crimes (no SELECT, UPDATE or DELETE on anything, nothing else inserted) and read the catalogue that the
// reference-check trigger reads. The force scope is re-checked by the database instead of the policy: a
// statement-level trigger refuses any row the loader inserts outside the transaction's cyberflag.forces, with
// the error row-level security gives (42501).
//
// BYPASSRLS can only be given by a superuser. When the migrations run as one (tests, the embedded database,
// docker-compose) the role is made here; on a server where they do not, an administrator makes it (README "A real
// PostgreSQL server"), or imports keep to the staging path (ImportService checks for the role).
const LOADER = 'cyberflag_loader';
// The columns of the import's direct COPY (libs/imports direct-copy.ts); a test checks the two lists agree.
const COLUMNS = [
  'id',
  'crime_reference',
  'force_id',
  'offence_code',
  'reported_at',
  'recorded_at',
  'offence_from',
  'offence_to',
  'online_flag',
  'online_method',
  'online_platform',
  'victim_age',
  'victim_sex',
  'suspect_age',
  'domestic_abuse',
  'hate_strands',
  'child_sexual_exploitation',
  'child_sexual_abuse',
  'status',
  'rule_warnings',
  'acknowledged_rules',
  'created_by',
  'updated_by',
  'import_id',
];

export class ImportLoaderRole1780000027200 implements MigrationInterface {
  name = 'ImportLoaderRole1780000027200';

  async up(q: QueryRunner): Promise<void> {
    // Roles are cluster-wide: several databases on one server (parallel test runs) may get here at once.
    await q.query(`
      DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${LOADER}')
           AND (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
          BEGIN
            CREATE ROLE ${LOADER} NOLOGIN NOINHERIT BYPASSRLS;
          EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
          END;
        END IF;
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${LOADER}') THEN
          GRANT USAGE ON SCHEMA public TO ${LOADER};
          GRANT SELECT ON forces, offences TO ${LOADER};
          GRANT INSERT (${COLUMNS.join(', ')}) ON crimes TO ${LOADER};
          BEGIN
            -- The app's login role (a member of cyberflag_app) may then SET ROLE to it.
            GRANT ${LOADER} TO cyberflag_app;
          EXCEPTION WHEN insufficient_privilege THEN
            RAISE NOTICE 'cannot grant ${LOADER} to cyberflag_app: imports use the staging path until an administrator does';
          END;
        END IF;
      END $$`);
    await q.query(`
      CREATE FUNCTION crimes_check_loader_scope() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        bad text;
      BEGIN
        SELECT n.force_id INTO bad FROM new_rows n WHERE NOT cyberflag_force_visible(n.force_id) LIMIT 1;
        IF FOUND THEN
          RAISE EXCEPTION 'new row for force % is outside the force scope of the loading transaction', bad
            USING ERRCODE = 'insufficient_privilege', TABLE = 'crimes';
        END IF;
        RETURN NULL;
      END $$`);
    // Only the loader's statements: everyone else is held to the same rule by the row-level security policy.
    await q.query(`
      CREATE TRIGGER tr_crimes_loader_scope AFTER INSERT ON crimes REFERENCING NEW TABLE AS new_rows
      FOR EACH STATEMENT WHEN (current_user = '${LOADER}') EXECUTE FUNCTION crimes_check_loader_scope()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER tr_crimes_loader_scope ON crimes`);
    await q.query(`DROP FUNCTION crimes_check_loader_scope()`);
    // The role is the cluster's (other databases may use it): only this database's grants go.
    await q.query(`
      DO $$ BEGIN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${LOADER}') THEN
          REVOKE ALL ON crimes, forces, offences FROM ${LOADER};
          REVOKE USAGE ON SCHEMA public FROM ${LOADER};
        END IF;
      END $$`);
  }
}
