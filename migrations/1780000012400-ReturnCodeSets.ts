import type { MigrationInterface, QueryRunner } from 'typeorm';

// Issue 20 §4: which codes return table B counts, and which codes have a personal victim (table C's "unknown
// victim age"), are catalogue data (libs/catalogue/data/offences.json `tableB`, `personalVictim`), synced here
// like the other offence fields. Until the next sync, table_b takes the old meaning (the sexual offences group)
// and personal_victim true, so a return computed in between is the one it was before.
export class ReturnCodeSets1780000012400 implements MigrationInterface {
  name = 'ReturnCodeSets1780000012400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE offences
        ADD COLUMN table_b boolean NOT NULL DEFAULT false,
        ADD COLUMN personal_victim boolean NOT NULL DEFAULT true`);
    await q.query(`UPDATE offences SET table_b = sexual_offence`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE offences DROP COLUMN table_b, DROP COLUMN personal_victim`);
  }
}
