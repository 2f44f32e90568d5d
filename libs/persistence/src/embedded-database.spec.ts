import { serverLogLines } from './embedded-database.js';

describe('the embedded server lines the app logs', () => {
  it('keeps start-up, FATAL and PANIC lines', () => {
    expect(
      serverLogLines(
        '[STDERR] 2026-12-05 21:00:00.000 UTC [1] LOG:  database system is ready to accept connections\n',
      ),
    ).toEqual([
      '[STDERR] 2026-12-05 21:00:00.000 UTC [1] LOG:  database system is ready to accept connections',
    ]);
    expect(serverLogLines('initialising embedded PostgreSQL in /x')).toEqual([
      'initialising embedded PostgreSQL in /x',
    ]);
    expect(
      serverLogLines(
        '2026-12-05 UTC [9] FATAL:  password authentication failed for user "postgres"',
      ),
    ).toHaveLength(1);
    expect(serverLogLines('2026-12-05 UTC [9] PANIC:  could not write to file')).toHaveLength(1);
  });

  // Issue #18 finding 11: a duplicate reference (409) put the key values and the SQL in the app's log.
  it('drops query errors and everything that follows them, which quote submitted values', () => {
    const chunk = [
      '2026-12-05 UTC [9] ERROR:  duplicate key value violates unique constraint "uq_crimes_reference"',
      '2026-12-05 UTC [9] DETAIL:  Key (force_id, crime_reference)=(derbyshire, DY/SECRET-1) already exists.',
      '2026-12-05 UTC [9] STATEMENT:  INSERT INTO "crimes"("force_id", "crime_reference") VALUES ($1, $2)',
      '2026-12-05 UTC [9] ERROR:  invalid input syntax for type uuid: "victim-name"',
      '2026-12-05 UTC [9] ERROR:  relation "x" does not exist at character 15 (error handling, not fatal)',
    ].join('\n');
    expect(serverLogLines(chunk)).toEqual([]);
  });
});
