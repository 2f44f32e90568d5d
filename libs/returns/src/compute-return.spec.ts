import { summariseTableB } from './compute-return.js';
import type { TableBRow } from './return-tables.js';

const age = (a: number | null, total: number): TableBRow => ({
  level: 'age',
  band: null,
  age: a,
  female: total,
  male: 0,
  unknownSex: 0,
  total,
  rapes: 0,
});

describe('summariseTableB', () => {
  it.each([
    ['a clear mode', [age(13, 5), age(14, 2)], 13],
    ['a tie: the youngest wins', [age(15, 3), age(13, 3), age(9, 1)], 13],
    ['unknown age is never the mode', [age(null, 9), age(16, 1)], 16],
    ['no known ages', [age(null, 2)], null],
  ])('modal age with %s', (_, rows, expected) => {
    expect(summariseTableB(rows).modalAge).toBe(expected);
  });

  it('counts under ten from known ages and finds the youngest', () => {
    const rows = [age(null, 4), age(3, 1), age(9, 2), age(10, 5)];
    expect(summariseTableB(rows)).toMatchObject({ youngestAge: 3, underTen: 3 });
  });
});
