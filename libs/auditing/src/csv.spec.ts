import { csvField, toCsv } from './csv.js';

describe('csv', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['=SUM(A1)', "'=SUM(A1)"],
    ['-1 note', "'-1 note"],
    ['@cmd', "'@cmd"],
  ])('writes the text %j as %j', (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it('writes numbers as they are (a negative z-score is not a formula), and empty for null', () => {
    expect([
      csvField(-2.5),
      csvField(0.25),
      csvField(null),
      csvField(undefined),
      csvField(true),
      csvField(Number.NaN),
    ]).toEqual(['-2.5', '0.25', '', '', 'true', '']);
  });

  it('joins a header and rows with CRLF', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          [1, 'x'],
          [null, 'y,z'],
        ],
      ),
    ).toBe('a,b\r\n1,x\r\n,"y,z"\r\n');
  });
});
