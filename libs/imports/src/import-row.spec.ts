import type { RecordCrimeInput } from '#libs/crimes';
import { readImportRow, type ImportedCrime, type RawImportRow } from './import-row.js';
import { validRow } from './testing/import-fixtures.js';

const read = (patch: RawImportRow) => readImportRow({ ...validRow(), ...patch });
const codes = (patch: RawImportRow) => read(patch).errors.map((e) => e.code);

describe('readImportRow', () => {
  it('maps a valid row to an ImportedCrime with typed, normalised values', () => {
    const { crime, errors } = read({
      force_id: ' Derbyshire ',
      offence_code: '71/17',
      hate_strands: 'race; Sexual Orientation',
    });
    expect(errors).toEqual([]);
    expect(crime).toEqual({
      forceId: 'derbyshire',
      crimeReference: 'DBY-2018-000123',
      offenceCode: '71/17',
      status: 'confirmed',
      reportedAt: new Date('2018-05-01T10:00:00Z'),
      recordedAt: new Date('2018-05-01T12:00:00Z'),
      offenceFrom: new Date('2018-04-20T18:00:00Z'),
      offenceTo: new Date('2018-04-25T18:00:00Z'),
      onlineFlag: 'yes',
      onlineMethod: 'messages sent from a smartphone via a social media app',
      onlinePlatform: 'social media app',
      victimAge: 14,
      victimSex: 'female',
      suspectAge: 30,
      domesticAbuse: false,
      hateStrands: ['race', 'sexual_orientation'],
      childSexualExploitation: false,
      childSexualAbuse: false,
      acknowledge: [],
    });
  });

  // Issue 20: the spellings forces use are read as the catalogue writes the code.
  it.each([
    ['86/02', '86/2'],
    [' 19c ', '19C'],
    ['008/71', '8/71'],
    ['4.10', '4.10'],
  ])('reads offence_code %j as %j', (raw, code) => {
    expect(read({ offence_code: raw }).crime?.offenceCode).toBe(code);
  });

  it('produces something the crimes library accepts as a RecordCrimeInput', () => {
    const crime: ImportedCrime = read({}).crime!;
    const input: RecordCrimeInput = crime; // compile-time check of the structural match
    expect(input.forceId).toBe('derbyshire');
  });

  it.each([
    ['Y', 'yes'],
    ['y', 'yes'],
    ['yes', 'yes'],
    ['YES', 'yes'],
    ['N', 'no'],
    ['no', 'no'],
    ['No', 'no'],
    ['U', 'unknown'],
    ['unknown', 'unknown'],
    [' Unknown ', 'unknown'],
  ])('reads online_flag %j as %s', (value, flag) => {
    expect(read({ online_flag: value, status: 'draft' }).crime?.onlineFlag).toBe(flag);
  });

  it.each(['', 'true', '1', 'maybe', 'X'])('refuses online_flag %j', (value) => {
    expect(codes({ online_flag: value })).toEqual([
      value === '' ? 'IMP-FIELD-003' : 'IMP-FIELD-004',
    ]);
  });

  it.each([
    ['true', true],
    ['TRUE', true],
    ['Y', true],
    ['y', true],
    ['1', true],
    ['yes', true],
    ['false', false],
    ['N', false],
    ['0', false],
    ['no', false],
    ['', false],
    [undefined, false],
  ])('reads boolean %j as %s', (value, expected) => {
    expect(read({ domestic_abuse: value }).crime?.domesticAbuse).toBe(expected);
  });

  it('refuses a boolean it cannot read rather than guessing', () => {
    expect(read({ domestic_abuse: 'flase' }).errors).toEqual([
      {
        code: 'IMP-FIELD-005',
        field: 'domestic_abuse',
        message: "domestic_abuse: 'flase' is not true, false, Y, N, 1 or 0",
      },
    ]);
  });

  describe('dates and times', () => {
    it('reads a date alone as 00:00 Europe/London: BST on 1 April 2016', () => {
      expect(
        read({
          offence_from: '2016-04-01',
          offence_to: '',
          reported_at: '2016-04-01T09:00:00+01:00',
          recorded_at: '2016-04-01T10:00Z',
        }).crime?.offenceFrom.toISOString(),
      ).toBe('2016-03-31T23:00:00.000Z');
    });

    it('reads a date alone in GMT as UTC midnight', () => {
      expect(read({ offence_from: '2016-01-15' }).crime?.offenceFrom.toISOString()).toBe(
        '2016-01-15T00:00:00.000Z',
      );
    });

    it('takes the last Sunday of March and October at London midnight, either side of the change', () => {
      expect(read({ offence_from: '2016-03-27' }).crime?.offenceFrom.toISOString()).toBe(
        '2016-03-27T00:00:00.000Z',
      );
      expect(read({ offence_from: '2016-10-30' }).crime?.offenceFrom.toISOString()).toBe(
        '2016-10-29T23:00:00.000Z',
      );
    });

    it.each([
      ['2018-05-01T10:00:00Z', '2018-05-01T10:00:00.000Z'],
      ['2018-05-01T11:00:00+01:00', '2018-05-01T10:00:00.000Z'],
      ['2018-05-01 11:00+0100', '2018-05-01T10:00:00.000Z'],
      ['2018-05-01T05:30:00-04:30', '2018-05-01T10:00:00.000Z'],
      ['2018-05-01T10:00:00.123456Z', '2018-05-01T10:00:00.123Z'],
      ['2018-05-01t10:00z', '2018-05-01T10:00:00.000Z'],
      ['2016-02-29T23:59:59Z', '2016-02-29T23:59:59.000Z'], // the common shape, read without a regular expression
      ['1900-01-01T00:00:00Z', '1900-01-01T00:00:00.000Z'],
      ['2000-02-29T00:00:00Z', '2000-02-29T00:00:00.000Z'],
    ])('reads date-time %s', (text, iso) => {
      expect(read({ reported_at: text }).crime?.reportedAt.toISOString()).toBe(iso);
    });

    it('requires a UTC offset on a date-time', () => {
      expect(read({ reported_at: '2018-05-01T10:00:00' }).errors).toEqual([
        expect.objectContaining({ code: 'IMP-FIELD-002', field: 'reported_at' }),
      ]);
    });

    it.each([
      '01/05/2018',
      '2018-02-30',
      '2018-13-01',
      '2018-05-01T24:00Z',
      '2018-05-01T10:00+25:00',
      'yesterday',
      '1899-12-31',
      // the common 'YYYY-MM-DDTHH:MM:SSZ' shape, out of range in each part
      '2019-02-29T10:00:00Z',
      '1900-02-29T10:00:00Z',
      '2018-00-10T10:00:00Z',
      '2018-05-00T10:00:00Z',
      '1899-12-31T23:59:59Z',
      '2018-05-01T24:00:00Z',
      '2018-05-01T10:60:00Z',
      '2018-05-01T10:00:60Z',
      '2018-0a-01T10:00:00Z',
      '2018-05-01T1 :00:00Z',
    ])('refuses %s as an invalid date', (text) => {
      const [error] = read({ recorded_at: text }).errors;
      expect(error.code).toBe('IMP-FIELD-001');
      expect(error.message).toContain('invalid date in recorded_at');
    });

    it('reads empty offence_to as null but requires the other dates', () => {
      expect(read({ offence_to: '' }).crime?.offenceTo).toBeNull();
      expect(codes({ reported_at: '' })).toEqual(['IMP-FIELD-003']);
    });
  });

  it('reads empty ages and method as null', () => {
    const crime = read({
      victim_age: '',
      suspect_age: ' ',
      online_method: '',
      online_platform: '',
    }).crime;
    expect(crime).toMatchObject({
      victimAge: null,
      suspectAge: null,
      onlineMethod: null,
      onlinePlatform: null,
    });
  });

  it.each(['-1', '14.5', 'fourteen', '1000'])('refuses age %j', (value) => {
    expect(codes({ victim_age: value })).toEqual(['IMP-FIELD-006']);
  });

  it('leaves out-of-range but well-formed ages to the rules (CF-AGE-006)', () => {
    expect(read({ victim_age: '130' }).crime?.victimAge).toBe(130);
  });

  it.each([
    ['F', 'female'],
    ['m', 'male'],
    ['Unknown', 'unknown'],
    ['u', 'unknown'],
  ])('reads victim_sex %s', (value, sex) => {
    expect(read({ victim_sex: value }).crime?.victimSex).toBe(sex);
  });

  it('refuses cancelled and transferred rows, pointing to the FCR path', () => {
    const [error] = read({ status: 'cancelled' }).errors;
    expect(error.code).toBe('IMP-FIELD-008');
    expect(error.message).toContain('Force Crime Registrar');
    expect(codes({ status: 'final' })).toEqual(['IMP-FIELD-008']);
  });

  it('refuses unknown hate strands and bad crime references', () => {
    expect(codes({ hate_strands: 'race;football' })).toEqual(['IMP-FIELD-009']);
    expect(codes({ crime_reference: '-starts-with-dash' })).toEqual(['IMP-FIELD-010']);
    expect(codes({ crime_reference: 'has space' })).toEqual(['IMP-FIELD-010']);
  });

  it('accepts known rule codes in acknowledge and refuses unknown ones', () => {
    expect(read({ acknowledge: 'cf-age-005; CF-AGE-005' }).crime?.acknowledge).toEqual([
      'CF-AGE-005',
    ]);
    expect(codes({ acknowledge: 'CF-NOPE-999' })).toEqual(['IMP-FIELD-012']);
  });

  it("holds free text to the API's limits: 1,000 characters of method, 200 of platform", () => {
    expect(codes({ online_method: 'm'.repeat(1001) })).toEqual(['IMP-FIELD-013']);
    expect(codes({ online_platform: 'p'.repeat(201) })).toEqual(['IMP-FIELD-013']);
    expect(codes({ online_method: 'm'.repeat(1000), online_platform: 'p'.repeat(200) })).toEqual(
      [],
    );
  });

  it('accepts JSON types from NDJSON and refuses wrong ones', () => {
    const crime = read({
      victim_age: 14,
      suspect_age: null,
      domestic_abuse: true,
      hate_strands: ['race'],
    }).crime;
    expect(crime).toMatchObject({
      victimAge: 14,
      suspectAge: null,
      domesticAbuse: true,
      hateStrands: ['race'],
    });
    expect(codes({ offence_code: 21 })).toEqual(['IMP-FIELD-011']);
    expect(codes({ hate_strands: [1] })).toEqual(['IMP-FIELD-011']);
  });

  it('lists every problem of a row at once, and keeps the reference and force for the report', () => {
    const reading = read({ force_id: 'Kent', reported_at: 'x', victim_age: 'y', online_flag: '' });
    expect(reading.crime).toBeUndefined();
    expect(reading.crimeReference).toBe('DBY-2018-000123');
    expect(reading.forceId).toBe('kent');
    expect(reading.errors.map((e) => e.code)).toEqual([
      'IMP-FIELD-001',
      'IMP-FIELD-003',
      'IMP-FIELD-006',
    ]);
  });
});
