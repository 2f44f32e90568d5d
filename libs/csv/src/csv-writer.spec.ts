import { csvDataRecord, csvField, csvRecord, toCsv } from './csv-writer.js';

describe('the CSV writer', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    [' padded ', '" padded "'],
    ['a\rb', '"a\rb"'],
  ])('quotes only when needed (RFC 4180): %j as %j', (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it.each([
    ['=HYPERLINK("http://evil","x")', `"'=HYPERLINK(""http://evil"",""x"")"`],
    ['=SUM(A1)', "'=SUM(A1)"],
    ['+cmd|calc', "'+cmd|calc"],
    ['-1+2', "'-1+2"],
    ['-1 note', "'-1 note"],
    ['@SUM(1)', "'@SUM(1)"],
    ['\tcmd', "'\tcmd"],
    ['\rcmd', `"'\rcmd"`],
  ])('guards text a spreadsheet would run: %j as %j', (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it('writes numbers as they are (a negative z-score is not a formula), and empty for null', () => {
    expect([
      csvField(-2.5),
      csvField(0.25),
      csvField(-0),
      csvField(null),
      csvField(undefined),
      csvField(true),
      csvField(Number.NaN),
      csvField(Number.POSITIVE_INFINITY),
      csvField(12n),
    ]).toEqual(['-2.5', '0.25', '0', '', '', 'true', '', '', '12']);
  });

  it('leaves text that is exactly a number alone, and guards anything after the sign', () => {
    expect(['-3', '+1.5', '-2.5e3', '-3 ', '-3x', '- 3'].map(csvField)).toEqual([
      '-3',
      '+1.5',
      '-2.5e3',
      `"'-3 "`,
      "'-3x",
      "'- 3",
    ]);
  });

  it('writes dates as ISO 8601 and other values as their text, guarded', () => {
    expect(csvField(new Date('2021-04-01T00:00:00Z'))).toBe('2021-04-01T00:00:00.000Z');
    expect(csvField({ toString: () => '=1+1' })).toBe("'=1+1");
  });

  it('ends every record with CRLF, the header too, and adds a byte-order mark when asked', () => {
    const rows = [
      [1, 'x'],
      [null, 'y,z'],
    ];
    expect(toCsv(['a', 'b'], rows)).toBe('a,b\r\n1,x\r\n,"y,z"\r\n');
    expect(toCsv(['a', 'b'], rows, { bom: true })).toBe('\uFEFFa,b\r\n1,x\r\n,"y,z"\r\n');
    expect(csvRecord(['=x', -1])).toBe("'=x,-1\r\n");
  });

  it('writes import data files as they are, for the importer to read back', () => {
    expect(csvDataRecord(['=1+1', '-x', 3, null, 'a,b'])).toBe('=1+1,-x,3,,"a,b"\r\n');
  });
});
