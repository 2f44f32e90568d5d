import type { MigrationInterface, QueryRunner } from 'typeorm';

// Issue 20 §3: the checks the database hard-wires must allow what the configurable rules allow.
// 1. ck_crimes_date_order: an offence that goes on after it is reported (harassment, stalking, coercive control,
//    grooming) may end after the report; the rules warn about it (CF-DATE-009) instead of refusing. The start of
//    the offence must still come before the report, and the report before the recording.
// 2. ck_crimes_flag_known: the online flag exists from 1 April 2015 (PQ 5204; NSPCC). A record made before then
//    cannot be forced to 'yes' or 'no'; it carries 'unknown' ("not collected") whatever its status, as the rules
//    already allow (CF-FLAG-001 applies from 2015-16). From that date 'unknown' stays a draft's state only.
//    The cut-off is midnight at the start of 1 April 2015 in England and Wales (BST: 2015-03-31 23:00 UTC).
export class CrimeChecksFollowRules1780000012200 implements MigrationInterface {
  name = 'CrimeChecksFollowRules1780000012200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE crimes DROP CONSTRAINT ck_crimes_date_order,
        ADD CONSTRAINT ck_crimes_date_order CHECK (
          offence_from <= COALESCE(offence_to, offence_from)
          AND offence_from <= reported_at
          AND reported_at <= recorded_at),
        DROP CONSTRAINT ck_crimes_flag_known,
        ADD CONSTRAINT ck_crimes_flag_known CHECK (
          online_flag <> 'unknown' OR status = 'draft'
          OR recorded_at < timestamptz '2015-04-01 00:00:00 Europe/London')`);
  }

  // Down restores the stricter checks; it fails (and changes nothing) while a record needs the looser ones.
  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE crimes DROP CONSTRAINT ck_crimes_date_order,
        ADD CONSTRAINT ck_crimes_date_order CHECK (
          offence_from <= COALESCE(offence_to, offence_from)
          AND COALESCE(offence_to, offence_from) <= reported_at
          AND reported_at <= recorded_at),
        DROP CONSTRAINT ck_crimes_flag_known,
        ADD CONSTRAINT ck_crimes_flag_known CHECK (online_flag <> 'unknown' OR status = 'draft')`);
  }
}
