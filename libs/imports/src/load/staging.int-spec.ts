import pg from 'pg';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import type { ImportedCrime } from '../import-row.js';
import type { AcceptedRow } from '../validate-batch.js';
import { copySql, CopyBinaryBuffer, CREATE_BATCH_SQL } from './staging.js';

// The binary COPY stream, read back by real PostgreSQL: every column type, nulls, old dates, non-ASCII text.
describe('CopyBinaryBuffer (real PostgreSQL)', () => {
  const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  beforeAll(async () => {
    await client.connect();
    await client.query('BEGIN');
    await client.query(CREATE_BATCH_SQL);
  });
  afterAll(async () => {
    await client.query('ROLLBACK');
    await client.end();
  });

  const row = (
    line: number,
    crime: Partial<ImportedCrime>,
    warnings: string[] = [],
    acknowledged: string[] = [],
  ): AcceptedRow => ({
    status: 'accepted',
    line,
    crimeReference: crime.crimeReference ?? 'R',
    forceId: crime.forceId ?? 'kent',
    warnings,
    acknowledged,
    findings: [],
    crime: {
      forceId: 'kent',
      crimeReference: 'R',
      offenceCode: '8L',
      reportedAt: new Date('2016-05-01T10:00:00.123Z'),
      recordedAt: new Date('2016-05-01T12:00:00Z'),
      offenceFrom: new Date('1999-12-31T23:59:59.999Z'),
      offenceTo: null,
      onlineFlag: 'yes',
      onlineMethod: null,
      onlinePlatform: null,
      victimAge: null,
      victimSex: 'unknown',
      suspectAge: null,
      domesticAbuse: false,
      hateStrands: [],
      childSexualExploitation: false,
      childSexualAbuse: false,
      status: 'confirmed',
      acknowledge: [],
      ...crime,
    } as ImportedCrime,
  });

  it('writes rows PostgreSQL reads back exactly, batch after batch', async () => {
    const b = new CopyBinaryBuffer(64); // small, so it grows
    b.append(
      row(
        2,
        {
          crimeReference: 'K/1',
          offenceTo: new Date('1987-03-04T05:06:07.008Z'),
          onlineMethod: 'café in Ynys Môn — “chat”',
          victimAge: 13,
          suspectAge: 120,
          domesticAbuse: true,
          hateStrands: ['race', 'religion'],
          childSexualAbuse: true,
        },
        ['CF-AGE-005', 'CF-X'],
        ['CF-AGE-005'],
      ),
    );
    b.append(
      row(3, {
        crimeReference: 'K/2',
        onlineFlag: 'unknown',
        status: 'draft',
        onlinePlatform: 'x\ty\nz\\',
      }),
    );
    expect(b.rows).toBe(2);
    await pipeline(
      Readable.from([Buffer.from(b.finish())]),
      client.query(copyFrom(copySql('import_batch'))),
    );
    b.reset();
    b.append(row(4, { crimeReference: 'K/3', reportedAt: new Date('2038-01-19T03:14:08Z') }));
    await pipeline(
      Readable.from([Buffer.from(b.finish())]),
      client.query(copyFrom(copySql('import_batch'))),
    );

    const ids = await client.query(
      `SELECT id::text, uuid_send(id) AS raw FROM import_batch ORDER BY line`,
    );
    const idTexts = ids.rows.map((r: { id: string }) => r.id);
    expect(new Set(idTexts).size).toBe(3);
    for (const { raw } of ids.rows as { raw: Buffer }[]) {
      expect(raw[6] >> 4).toBe(7); // version 7
      expect(raw[8] >> 6).toBe(0b10); // RFC 9562 variant
      expect(Math.abs(raw.readUIntBE(0, 6) - Date.now())).toBeLessThan(60_000); // time-ordered: milliseconds since the epoch first
    }

    const { rows } =
      await client.query(`SELECT line, crime_reference, offence_code, to_char(reported_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS') AS reported,
      to_char(offence_from AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS') AS from_, to_char(offence_to AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS') AS to_,
      online_flag, online_method, online_platform, victim_age, suspect_age, domestic_abuse, hate_strands, child_sexual_abuse, status, rule_warnings, acknowledged_rules
      FROM import_batch ORDER BY line`);
    expect(rows).toEqual([
      {
        line: 2,
        crime_reference: 'K/1',
        offence_code: '8L',
        reported: '2016-05-01T10:00:00.123',
        from_: '1999-12-31T23:59:59.999',
        to_: '1987-03-04T05:06:07.008',
        online_flag: 'yes',
        online_method: 'café in Ynys Môn — “chat”',
        online_platform: null,
        victim_age: 13,
        suspect_age: 120,
        domestic_abuse: true,
        hate_strands: ['race', 'religion'],
        child_sexual_abuse: true,
        status: 'confirmed',
        rule_warnings: ['CF-AGE-005', 'CF-X'],
        acknowledged_rules: ['CF-AGE-005'],
      },
      {
        line: 3,
        crime_reference: 'K/2',
        offence_code: '8L',
        reported: '2016-05-01T10:00:00.123',
        from_: '1999-12-31T23:59:59.999',
        to_: null,
        online_flag: 'unknown',
        online_method: null,
        online_platform: 'x\ty\nz\\',
        victim_age: null,
        suspect_age: null,
        domestic_abuse: false,
        hate_strands: [],
        child_sexual_abuse: false,
        status: 'draft',
        rule_warnings: [],
        acknowledged_rules: [],
      },
      {
        line: 4,
        crime_reference: 'K/3',
        offence_code: '8L',
        reported: '2038-01-19T03:14:08.000',
        from_: '1999-12-31T23:59:59.999',
        to_: null,
        online_flag: 'yes',
        online_method: null,
        online_platform: null,
        victim_age: null,
        suspect_age: null,
        domestic_abuse: false,
        hate_strands: [],
        child_sexual_abuse: false,
        status: 'confirmed',
        rule_warnings: [],
        acknowledged_rules: [],
      },
    ]);
  });
});
