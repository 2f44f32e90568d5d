import type { MigrationInterface, QueryRunner } from 'typeorm';

// The monthly completeness aggregate (migration 1780000027300) for the records already there. Writers of crimes
// wait meanwhile (SHARE lock), and whatever the triggers appended since the table was created is replaced, so
// the result is exactly the records' figures however the two migrations were spaced.
export class BackfillMonthlyCrimeFigures1780000027310 implements MigrationInterface {
  name = 'BackfillMonthlyCrimeFigures1780000027310';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`LOCK TABLE crimes IN SHARE MODE`);
    await q.query(`DELETE FROM crime_figures_monthly`);
    await q.query(`
      INSERT INTO crime_figures_monthly (force_id, financial_year, recorded_month, offence_code, status,
                                         online_flag, n, unknown_age)
      SELECT * FROM crime_figures_monthly_from_records`);
  }

  async down(): Promise<void> {
    // Derived rows: the previous migration's down drops them with the table.
  }
}
