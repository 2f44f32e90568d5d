import { Readable } from 'node:stream';
import { ImportFileError } from './import-error.js';
import { REQUIRED_COLUMNS } from './import-row.js';
import {
  parseCrimeBatches,
  parseCrimes,
  type ImportFormat,
  type ParsedRow,
} from './parse-stream.js';
import {
  chunked,
  collect,
  csvText,
  ndjsonText,
  rejection,
  validRow,
} from './testing/import-fixtures.js';

const parseAll = (
  data: string | Buffer,
  format: ImportFormat = 'csv',
  size?: number,
  maxRecordBytes?: number,
) => collect(parseCrimes(chunked(data, size), format, { maxRecordBytes }));

const fileError = async (data: string | Buffer, format: ImportFormat = 'csv', size?: number) => {
  const error = await rejection(parseAll(data, format, size));
  expect(error).toBeInstanceOf(ImportFileError);
  return error as ImportFileError;
};

const twoRows = [
  validRow(),
  validRow({ crime_reference: 'DBY-2018-000124', online_flag: 'no', online_method: '' }),
];

describe('parseCrimes', () => {
  describe('CSV', () => {
    it('parses a valid file into typed rows with source line numbers', async () => {
      const rows = await parseAll(csvText(twoRows));
      expect(rows.map((r) => [r.line, r.crimeReference, r.forceId, r.errors])).toEqual([
        [2, 'DBY-2018-000123', 'derbyshire', []],
        [3, 'DBY-2018-000124', 'derbyshire', []],
      ]);
      expect(rows[0].crime).toMatchObject({
        offenceCode: '71/17',
        onlineFlag: 'yes',
        victimAge: 14,
      });
      expect(rows[1].crime).toMatchObject({ onlineFlag: 'no', onlineMethod: null });
    });

    it('gives the same result whatever the chunk boundaries, including inside a UTF-8 character', async () => {
      const text = csvText([
        validRow({ online_method: 'café, naïve – “quoted” 😀 text' }),
        twoRows[1],
      ]);
      const expected = await parseAll(text, 'csv', 1 << 16);
      for (const size of [1, 2, 3, 5, 64])
        expect(await parseAll(text, 'csv', size)).toEqual(expected);
      expect(expected[0].crime?.onlineMethod).toBe('café, naïve – “quoted” 😀 text');
    });

    it('reads a chunk larger than the parser slice (8 KB) exactly: records, characters and lines across slice edges', async () => {
      // ~150 bytes a row: a 60 KB chunk is cut into slices mid-record, mid-quoted-newline and mid-character.
      const rows = Array.from({ length: 400 }, (_, i) =>
        validRow({
          crime_reference: `DBY-2018-${String(i).padStart(6, '0')}`,
          online_method: `😀 é\nline ${i}`,
        }),
      );
      const text = csvText(rows);
      expect(Buffer.byteLength(text)).toBeGreaterThan(6 * 8 * 1024);
      const whole = await parseAll(text, 'csv', Buffer.byteLength(text));
      expect(whole.map((r) => [r.line, r.errors.length])).toEqual(
        rows.map((_, i) => [2 + 2 * i, 0]),
      ); // each record spans two lines
      expect(whole.map((r) => r.crime?.onlineMethod)).toEqual(
        rows.map((_, i) => `😀 é\nline ${i}`),
      );
      expect(await parseAll(text, 'csv', 997)).toEqual(whole);
    });

    it('accepts a UTF-8 BOM, CRLF line ends, header case and spacing, and a missing final newline', async () => {
      const text =
        `\ufeff${csvText(twoRows).replace('crime_reference', ' Crime_Reference ')}`.replace(
          /\r\n$/,
          '',
        );
      const rows = await parseAll(text);
      expect(rows.map((r) => r.errors)).toEqual([[], []]);
    });

    it('accepts a file with only the required columns', async () => {
      const rows = await parseAll(csvText(twoRows, REQUIRED_COLUMNS));
      expect(rows[0].crime).toMatchObject({
        suspectAge: null,
        domesticAbuse: false,
        hateStrands: [],
        onlinePlatform: null,
      });
    });

    it('reports the line where a record starts, after a quoted multi-line field and blank lines', async () => {
      for (const eol of ['\n', '\r\n']) {
        const text = csvText([
          validRow({
            crime_reference: 'A1',
            online_method: `line one${eol}line two${eol}line three`,
          }),
          validRow({ crime_reference: 'A2' }),
          validRow({ crime_reference: 'A3', online_method: `two${eol}lines` }),
          validRow({ crime_reference: 'A4', victim_age: 'x' }),
        ])
          .replaceAll('\r\n', eol)
          .replace(`${eol}A4,`, `${eol}${eol}   ${eol}A4,`);
        // 1 header; 2-4 A1; 5 A2; 6-7 A3; 8 blank; 9 spaces; 10 A4
        const rows = await parseAll(text);
        expect(rows.map((r) => [r.crimeReference, r.line])).toEqual([
          ['A1', 2],
          ['A2', 5],
          ['A3', 6],
          ['A4', 10],
        ]);
        expect(rows[0].crime?.onlineMethod).toBe(`line one${eol}line two${eol}line three`);
        expect(rows[3].errors[0].code).toBe('IMP-FIELD-006');
      }
    });

    it('rejects a record with the wrong number of fields as a row, and carries on', async () => {
      const text = `${csvText([validRow()])}DBY-2,derbyshire,8L\r\n${csvText([validRow({ crime_reference: 'DBY-3' })]).split('\r\n')[1]}\r\n`;
      const rows = await parseAll(text);
      expect(rows.map((r) => [r.line, r.crimeReference, r.errors.map((e) => e.code)])).toEqual([
        [2, 'DBY-2018-000123', []],
        [3, 'DBY-2', ['IMP-ROW-001']],
        [4, 'DBY-3', []],
      ]);
    });

    it('streams: the first rows arrive before the input has ended', async () => {
      const header = csvText([]);
      const row = csvText([validRow()]).slice(header.length);
      let produced = 0;
      async function* endless(): AsyncGenerator<Buffer> {
        yield Buffer.from(header);
        for (;;) {
          produced++;
          yield Buffer.from(row.replace('DBY-2018-000123', `R${produced}`));
        }
      }
      const seen: ParsedRow[] = [];
      for await (const r of parseCrimes(endless(), 'csv')) if (seen.push(r) === 3) break;
      expect(seen.map((r) => r.crimeReference)).toEqual(['R1', 'R2', 'R3']);
      expect(produced).toBeLessThan(5000);
    });

    it('reads from a Node Readable and groups rows into batches', async () => {
      const rows = Array.from({ length: 1200 }, (_, i) => validRow({ crime_reference: `B${i}` }));
      const batches = await collect(
        parseCrimeBatches(Readable.from([Buffer.from(csvText(rows))]), 'csv'),
      );
      expect(batches.length).toBeGreaterThan(1);
      expect(batches.flat().map((r) => r.line)).toEqual(rows.map((_, i) => i + 2));
    });
  });

  describe('NDJSON', () => {
    it('parses a valid file, skipping blank lines, with line numbers', async () => {
      const objects = [
        validRow(),
        { ...validRow({ crime_reference: 'N2' }), victim_age: 15, domestic_abuse: false },
      ];
      const text = `\ufeff${ndjsonText(objects).replace('\n', '\r\n\n')}`;
      const rows = await parseAll(text, 'ndjson', 3);
      expect(rows.map((r) => [r.line, r.crimeReference, r.errors])).toEqual([
        [1, 'DBY-2018-000123', []],
        [3, 'N2', []],
      ]);
      expect(rows[1].crime).toMatchObject({ victimAge: 15 });
    });

    it('accepts a last line without a newline', async () => {
      const rows = await parseAll(ndjsonText([validRow()]).trimEnd(), 'ndjson');
      expect(rows).toHaveLength(1);
      expect(rows[0].errors).toEqual([]);
    });

    it('rejects unknown and missing properties as row errors', async () => {
      const { victim_sex: _dropped, ...missing } = validRow();
      const rows = await parseAll(
        ndjsonText([{ ...validRow(), victim_name: 'x' }, missing]),
        'ndjson',
      );
      expect(rows[0].errors.map((e) => e.code)).toEqual(['IMP-ROW-002']);
      expect(rows[0].crime).toBeUndefined();
      expect(rows[1].errors.map((e) => e.code)).toEqual(['IMP-ROW-003', 'IMP-FIELD-003']);
    });

    it('rejects a value holding the escape \\u0000 as a row error (IMP-FIELD-014), read without its NULs', async () => {
      const rows = await parseAll(
        ndjsonText([
          { ...validRow(), online_method: 'a\0b', hate_strands: ['race\0'] },
          validRow({ crime_reference: 'OK-1' }),
        ]),
        'ndjson',
      );
      expect(rows[0].errors).toEqual([
        {
          code: 'IMP-FIELD-014',
          field: 'online_method',
          message: 'online_method: contains a NUL character (\\u0000), which no field may hold',
        },
        {
          code: 'IMP-FIELD-014',
          field: 'hate_strands',
          message: 'hate_strands: contains a NUL character (\\u0000), which no field may hold',
        },
      ]);
      expect(rows[0].crime).toBeUndefined();
      expect(
        JSON.stringify(rows[0], (_key, v: unknown) =>
          typeof v === 'string' && v.includes('\0') ? 'NUL!' : v,
        ),
      ).not.toContain('NUL!');
      expect(rows[1].errors).toEqual([]);
    });

    it('throws IMP-FILE-006 for a line that is not a JSON object', async () => {
      const bad = await fileError(
        `${ndjsonText([validRow()])}{"crime_reference": "x",\n`,
        'ndjson',
      );
      expect(bad.code).toBe('IMP-FILE-006');
      expect(bad.details.line).toBe(2);
      expect((await fileError('[1,2]\n', 'ndjson')).message).toContain(
        'line 1 is not a JSON object',
      );
    });

    it('throws IMP-FILE-005 for a line over the limit without holding the whole line', async () => {
      async function* huge(): AsyncGenerator<Buffer> {
        yield Buffer.from('{"crime_reference": "');
        for (;;) yield Buffer.alloc(1 << 16, 0x61);
      }
      const error = await rejection(collect(parseCrimes(huge(), 'ndjson')));
      expect(error).toMatchObject({
        code: 'IMP-FILE-005',
        details: { line: 1, limitBytes: 65536 },
      });
    });
  });

  describe('file-level errors', () => {
    it.each<[string, string | Buffer, ImportFormat]>([
      ['no bytes', '', 'csv'],
      ['only a BOM', '\ufeff', 'csv'],
      ['only blank lines', '\r\n\n  \n', 'csv'],
      ['a header and no rows', csvText([]), 'csv'],
      ['no bytes', '', 'ndjson'],
      ['only blank lines', '\n \n', 'ndjson'],
    ])('IMP-FILE-001 for an empty file: %s (%s)', async (_name, data, format) => {
      expect((await fileError(data, format)).code).toBe('IMP-FILE-001');
    });

    it('IMP-FILE-002 lists missing, unknown and duplicate header columns', async () => {
      const columns = [
        'crime_reference',
        'force_id',
        'offence_code',
        'reported_at',
        'recorded_at',
        'offence_from',
        'offence_to',
        'online_flag',
        'online_method',
        'victim_age',
        'status',
        'victim_name',
        'force_id',
      ];
      const error = await fileError(`${columns.join(',')}\n`);
      expect(error.code).toBe('IMP-FILE-002');
      expect(error.details).toMatchObject({
        line: 1,
        missing: ['victim_sex'],
        unknown: ['victim_name'],
        duplicated: ['force_id'],
      });
      expect(error.message).toContain('missing column(s): victim_sex');
      expect(error.message).toContain('unknown column(s): "victim_name"');
      expect(error.message).toContain('duplicate column(s): force_id');
    });

    it('IMP-FILE-003 for Latin-1 bytes, with the byte offset and line', async () => {
      const good = Buffer.from(csvText([validRow()]));
      const bad = Buffer.concat([
        good,
        Buffer.from('DBY-9,derbyshire,8L,caf'),
        Buffer.from([0xe9]),
        Buffer.from(',x\r\n'),
      ]);
      for (const size of [1, 4, 1 << 16]) {
        const error = await fileError(bad, 'csv', size);
        expect(error.code).toBe('IMP-FILE-003');
        expect(error.details).toEqual({ byteOffset: good.length + 23, line: 3 });
        expect(error.message).toContain('0xe9');
      }
      expect((await fileError(Buffer.from([0xe9]))).code).toBe('IMP-FILE-003');
      expect((await fileError(Buffer.from([0x7b, 0xe9, 0x7d, 0x0a]), 'ndjson')).details).toEqual({
        byteOffset: 1,
        line: 1,
      });
    });

    it('IMP-FILE-003 for a file that ends inside a multi-byte character', async () => {
      const error = await fileError(
        Buffer.concat([Buffer.from(csvText([validRow()])), Buffer.from([0xe2, 0x82])]),
        'csv',
        5,
      );
      expect(error.code).toBe('IMP-FILE-003');
      expect(error.message).toContain('ends inside a multi-byte character');
    });

    // Issue #18: a NUL reached PostgreSQL (error 22021) and answered 500.
    it('IMP-FILE-007 for a NUL byte, with the byte offset and line, whatever the chunk boundaries', async () => {
      const good = Buffer.from(csvText([validRow()]));
      const bad = Buffer.concat([
        good,
        Buffer.from('DBY-9,derbyshire,8L,a'),
        Buffer.from([0x00]),
        Buffer.from('b,x\r\n'),
      ]);
      for (const size of [1, 4, 1 << 16]) {
        const error = await fileError(bad, 'csv', size);
        expect(error.code).toBe('IMP-FILE-007');
        expect(error.details).toEqual({ byteOffset: good.length + 21, line: 3 });
        expect(error.message).toBe(
          `IMP-FILE-007 file contains a NUL byte (0x00) at byte offset ${good.length + 21}, line 3: a text extract has none`,
        );
      }
      const ndjson = await fileError(
        Buffer.concat([
          Buffer.from('{"crime_reference":"a'),
          Buffer.from([0x00]),
          Buffer.from('"}\n'),
        ]),
        'ndjson',
      );
      expect([ndjson.code, ndjson.details]).toEqual(['IMP-FILE-007', { byteOffset: 21, line: 1 }]);
    });

    it('IMP-FILE-007 names UTF-16 for one without a byte-order mark', async () => {
      const error = await fileError(Buffer.from('crime_reference\n', 'utf16le'));
      expect(error.code).toBe('IMP-FILE-007');
      expect(error.message).toContain('UTF-16');
    });

    it('IMP-FILE-008 for a file whose lines end with CR alone, whatever the chunk boundaries', async () => {
      const text = csvText(twoRows).replaceAll('\r\n', '\r');
      for (const size of [1, 7, 1 << 16]) {
        const error = await fileError(text, 'csv', size);
        expect([error.code, error.details]).toEqual(['IMP-FILE-008', { line: 1 }]);
      }
      expect(
        (await parseAll(csvText(twoRows).replaceAll('\r\n', '\n'))).map((r) => r.errors),
      ).toEqual([[], []]); // LF alone is fine
    });

    it('IMP-FILE-003 names UTF-16 when the file starts with its BOM', async () => {
      const error = await fileError(
        Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('crime_reference', 'utf16le')]),
      );
      expect(error.message).toContain('UTF-16');
    });

    it('IMP-FILE-004 for an unbalanced quote, naming the line where the record starts', async () => {
      const text = csvText([
        validRow(),
        validRow({ crime_reference: 'Q2' }),
        validRow({ crime_reference: 'Q3' }),
      ]).replace('\r\nQ2,', '\r\n"Q2,');
      const error = await fileError(text);
      expect(error.code).toBe('IMP-FILE-004');
      expect(error.details.line).toBe(3);
      expect(error.message).toContain('never closed');
    });

    it('IMP-FILE-004 for text after a closing quote and for a stray quote', async () => {
      const closing = await fileError(
        csvText([validRow({ online_method: 'a' })]).replace(',a,', ',"a"b,'),
      );
      expect(closing).toMatchObject({ code: 'IMP-FILE-004', details: { line: 2 } });
      expect(closing.message).toContain('column online_method');
      const stray = await fileError(
        csvText([validRow({ online_method: 'a' })]).replace(',a,', ',a"b,'),
      );
      expect(stray).toMatchObject({ code: 'IMP-FILE-004', details: { line: 2 } });
    });

    it('IMP-FILE-004 stops the import even after good rows: rows already read came before the error', async () => {
      const text = `${csvText([validRow()])}"broken,row\r\n`;
      const seen: ParsedRow[] = [];
      const error = await rejection(
        (async () => {
          for await (const r of parseCrimes(chunked(text, 16), 'csv')) seen.push(r);
        })(),
      );
      expect(error).toMatchObject({ code: 'IMP-FILE-004', details: { line: 3 } });
    });

    it('IMP-FILE-005 fast for a single 10 MB field, without reading much further', async () => {
      const header = Buffer.from(csvText([]));
      const field = Buffer.alloc(10 * 1024 * 1024, 0x61);
      const started = performance.now();
      const error = await fileError(
        Buffer.concat([header, field, Buffer.from(',derbyshire\r\n')]),
        'csv',
        1 << 16,
      );
      expect(performance.now() - started).toBeLessThan(1000);
      expect(error).toMatchObject({
        code: 'IMP-FILE-005',
        details: { line: 2, limitBytes: 65536 },
      });
    });

    it('IMP-FILE-005 for an endless quoted field (also the shape of an unbalanced quote in a big file)', async () => {
      let read = 0;
      async function* endless(): AsyncGenerator<Buffer> {
        yield Buffer.from(`${csvText([validRow()])}"`);
        for (;;) {
          read += 1 << 16;
          yield Buffer.alloc(1 << 16, 0x0a);
        }
      }
      const error = await rejection(
        collect(parseCrimes(endless(), 'csv', { maxRecordBytes: 100_000 })),
      );
      expect(error).toMatchObject({
        code: 'IMP-FILE-005',
        details: { line: 3, limitBytes: 100_000 },
      });
      expect(error.message).toContain('quote');
      expect(read).toBeLessThan(2_000_000);
    });

    it('honours a configured record limit', async () => {
      const text = csvText([validRow({ online_method: 'x'.repeat(300) })]);
      expect(await rejection(parseAll(text, 'csv', 64, 200))).toMatchObject({
        code: 'IMP-FILE-005',
        details: { limitBytes: 200 },
      });
    });
  });
});
