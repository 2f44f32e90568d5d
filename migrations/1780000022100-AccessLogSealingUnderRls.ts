import type { MigrationInterface, QueryRunner } from 'typeorm';

// Two branches met here: 1780000020100 put row-level security on access_log (append: anyone; read: within the
// transaction's force scope) and 1780000022000 made a sealer, running as the application role, chain entries by
// UPDATE after they commit. With RLS on and no UPDATE policy, that UPDATE would silently match no row. The sealer
// works under the national scope ('*'); column grants (pos, prev_hash, hash) and the seal-only trigger already
// limit what an update may change, so the policy only says who may seal: national-scope work.
export class AccessLogSealingUnderRls1780000022100 implements MigrationInterface {
  name = 'AccessLogSealingUnderRls1780000022100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE POLICY p_access_log_seal ON access_log FOR UPDATE
      USING (COALESCE(current_setting('cyberflag.forces', true), '') = '*')
      WITH CHECK (COALESCE(current_setting('cyberflag.forces', true), '') = '*')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP POLICY p_access_log_seal ON access_log`);
  }
}
