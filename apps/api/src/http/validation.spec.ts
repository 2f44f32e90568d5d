import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { IsFinancialYear, IsWholeNumber } from './validation.js';

class Query {
  @IsFinancialYear() year: number;
  @IsFinancialYear({ optional: true, as: 'text' }) label?: string;
  @IsWholeNumber('limit', 1, 500) limit?: number;
}

function check(plain: Record<string, unknown>): { value: Query; errors: string[] } {
  const value = plainToInstance(Query, plain);
  const errors = validateSync(value).flatMap((e) => Object.values(e.constraints ?? {}));
  return { value, errors };
}

describe('@IsFinancialYear()', () => {
  it('gives the start year, or the checked text', () => {
    expect(check({ year: '2015-16', label: '2017-18' })).toMatchObject({
      value: { year: 2015, label: '2017-18' },
      errors: [],
    });
  });

  it.each<[unknown, string]>([
    ['9999-00', "year: Invalid financial year '9999-00': years run from 1000-01 to 9998-99"],
    ['2015-17', "year: Invalid financial year '2015-17': a year starting in 2015 ends in '16'"],
    ['2015/16', 'year must look like 2015-16'],
    ['x'.repeat(5000), 'year must look like 2015-16'],
    [2015, 'year must look like 2015-16'],
    [['2015-16', '2016-17'], 'year must look like 2015-16'],
    [undefined, 'year must look like 2015-16'],
  ])(
    'refuses the %#th value with a message that says why (no echo of long text)',
    (year, message) => {
      expect(check({ year }).errors).toEqual([message]);
    },
  );
});

describe('@IsWholeNumber()', () => {
  it.each([
    ['50', 50],
    ['1', 1],
    ['500', 500],
  ])('takes %j as %j', (limit, expected) => {
    expect(check({ year: '2015-16', limit })).toMatchObject({
      value: { limit: expected },
      errors: [],
    });
  });

  it.each(['0', '501', '1.5', 'abc', '', '-1'])('refuses %j', (limit) => {
    expect(check({ year: '2015-16', limit }).errors).toEqual(
      expect.arrayContaining(['limit must be a whole number from 1 to 500']),
    );
  });
});
