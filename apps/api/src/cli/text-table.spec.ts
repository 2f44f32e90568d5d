import { textTable } from './text-table.js';

describe('textTable', () => {
  it('aligns text left and numeric columns right, two spaces apart, with nothing after the last character', () => {
    expect(
      textTable(
        ['area', 'crimes', '% online'],
        [
          ['England and Wales', 1234, 12.5],
          ['  Wales', 7, null],
          ['Essex Police', undefined, undefined],
        ],
      ),
    ).toEqual([
      'area               crimes  % online',
      '-----------------  ------  --------',
      'England and Wales    1234      12.5',
      '  Wales                 7',
      'Essex Police',
    ]);
  });

  it('keeps a column with any text in it left-aligned, and widens to the header', () => {
    expect(
      textTable(
        ['value', 'k'],
        [
          [1, 'a'],
          ['n/a', 'b'],
        ],
      ),
    ).toEqual(['value  k', '-----  -', '1      a', 'n/a    b']);
  });
});
