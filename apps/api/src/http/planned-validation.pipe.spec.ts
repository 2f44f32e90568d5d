import 'reflect-metadata';
import { jest } from '@jest/globals';
import {
  HttpException,
  ValidationPipe,
  type ArgumentMetadata,
  type Type as Class,
} from '@nestjs/common';
import { Exclude, Expose, Transform, Type } from 'class-transformer';
import {
  getMetadataStorage,
  IsInt,
  IsString,
  ValidateIf,
  ValidateNested,
  type ValidationError,
  type ValidatorOptions,
} from 'class-validator';
import fc from 'fast-check';
import { VALIDATION_OPTIONS } from '../app.module.js'; // also defines every DTO of the app
import { CreateCrimeDto } from '../crimes/dto/create-crime.dto.js';
import { AmendCrimeDto } from '../crimes/dto/amend-crime.dto.js';
import { PlannedValidationPipe } from './planned-validation.pipe.js';

const nest = new ValidationPipe(VALIDATION_OPTIONS);
const planned = new PlannedValidationPipe(VALIDATION_OPTIONS);

// What a pipe makes of a body: the value it passes on (and its class), or the error response it refuses it with.
async function outcome(
  pipe: ValidationPipe,
  body: unknown,
  metatype: ArgumentMetadata['metatype'],
) {
  const copy: unknown = body === undefined ? undefined : JSON.parse(JSON.stringify(body));
  try {
    const value: unknown = await pipe.transform(copy, { type: 'body', metatype, data: '' });
    return {
      passed: true,
      value,
      class: value !== null && typeof value === 'object' ? value.constructor : null,
    };
  } catch (e) {
    if (!(e instanceof HttpException)) throw e;
    return { passed: false, status: e.getStatus(), response: e.getResponse() };
  }
}

// Counts the planned pipe's runs of Nest's whole pipe (class-transformer's plainToInstance and all): its transform
// falls back to the plain pipe's.
function wholePipeRuns(): { count: () => number; restore: () => void } {
  const spy = jest.spyOn(ValidationPipe.prototype, 'transform');
  return { count: () => spy.mock.calls.length, restore: () => spy.mockRestore() };
}

// Counts class-validator's runs through the plain pipe's validate (the planned pipe falls back to it).
function fallbacks(): { count: () => number; restore: () => void } {
  const spy = jest.spyOn(
    ValidationPipe.prototype as unknown as {
      validate: (o: object, v?: ValidatorOptions) => Promise<ValidationError[]>;
    },
    'validate',
  );
  return { count: () => spy.mock.calls.length, restore: () => spy.mockRestore() };
}

const iso = (d: number) => new Date(Date.UTC(2018, 4, d, 12)).toISOString();
const validCreate = (): Record<string, unknown> => ({
  forceId: 'kent',
  crimeReference: 'KT/2018/000123',
  offenceCode: '71/17',
  reportedAt: iso(2),
  recordedAt: iso(3),
  offenceFrom: iso(1),
  onlineFlag: 'yes',
  onlineMethod: 'messages sent through a social media app',
  onlinePlatform: 'a chat app',
  victimAge: 14,
  victimSex: 'female',
  suspectAge: 30,
  status: 'confirmed',
});

// Values that pass some field's checks and fail others', and plain junk.
const anyValue = fc.oneof(
  fc.constantFrom(
    null,
    undefined,
    '',
    'kent',
    'not-a-force',
    '71/17',
    '8O',
    'yes',
    'no',
    'unknown',
    'female',
    'draft',
    'confirmed',
    '2018-05-01T12:00:00Z',
    '2018-05-01 12:00:00Z',
    '2018-05-01T12:00:00',
    '2018-02-30T12:00:00Z',
    'KT/2018/1',
    ' KT',
    0,
    -1,
    14,
    120,
    121,
    14.5,
    '14',
    true,
    false,
    [],
    ['race'],
    ['race', 'race'],
    ['race', 'nope'],
    ['CF-AGE-001'],
    [1],
    {},
    'x'.repeat(3000),
  ),
  fc.string({ maxLength: 20 }),
  fc.integer({ min: -3, max: 200 }),
  fc.double(),
  fc.array(fc.oneof(fc.string({ maxLength: 8 }), fc.integer()), { maxLength: 3 }),
);

// Every class with validation decorators, and the properties they validate (private to class-validator).
function validatedClasses(): [Class, string[]][] {
  const byClass = (
    getMetadataStorage() as unknown as {
      validationMetadatas: Map<Class, { propertyName: string }[]>;
    }
  ).validationMetadatas;
  return [...byClass.entries()]
    .filter(([c]) => typeof c === 'function')
    .map(([c, ms]) => [c, [...new Set(ms.map((m) => m.propertyName))]]);
}

describe('PlannedValidationPipe', () => {
  it('passes a valid create body without class-validator, as Nest’s pipe passes it', async () => {
    const f = fallbacks();
    try {
      const mine = await outcome(planned, validCreate(), CreateCrimeDto);
      expect(f.count()).toBe(0);
      expect(mine).toStrictEqual(await outcome(nest, validCreate(), CreateCrimeDto));
      expect(mine).toMatchObject({ passed: true, class: CreateCrimeDto });
    } finally {
      f.restore();
    }
  });

  it('makes the instance of a valid create itself, through the @Transform functions, as plainToInstance does', async () => {
    const body = { ...validCreate(), offenceCode: ' 86/02 ', offenceTo: null, victimAge: null };
    const whole = wholePipeRuns();
    let mine;
    try {
      mine = await outcome(planned, body, CreateCrimeDto);
      expect(whole.count()).toBe(0);
    } finally {
      whole.restore();
    }
    expect(mine).toStrictEqual(await outcome(nest, body, CreateCrimeDto));
    expect(mine).toMatchObject({ passed: true, value: { offenceCode: '86/2', offenceTo: null } });
    // The body's keys in its order, after the class's own declared fields.
    expect(Object.keys(mine.value as object)).toEqual(
      Object.keys(Object.assign(new CreateCrimeDto(), body)),
    );
  });

  it('leaves to Nest’s whole pipe what it does not model, with the same outcome', async () => {
    const shout = ({ value }: { value: unknown }) =>
      typeof value === 'string' ? value.toUpperCase() : value;
    class Typed {
      @IsString() name: string;
      @IsInt() @Type(() => Number) n: number;
    }
    class Renamed {
      @IsString() @Expose({ name: 'full_name' }) name: string;
    }
    class Hidden {
      @IsString() name: string;
      @IsString() @Exclude() secret: string;
    }
    @Exclude()
    class ExcludeAll {
      @IsString() @Expose() name: string;
    }
    class ToObject {
      @IsString() @Transform(() => ({ not: 'a string' })) name: string;
    }
    class Grouped {
      @IsString() @Transform(shout, { groups: ['admin'] }) name: string;
    }
    class Accessor {
      @IsString() name: string;
      get shout(): string {
        return this.name.toUpperCase();
      }
    }
    const cases: [Class, unknown, number][] = [
      [Typed, { name: 'a', n: '3' }, 1], // @Type: class-transformer converts
      [Renamed, { full_name: 'a' }, 1], // @Expose by another name
      [Hidden, { name: 'a', secret: 'b' }, 1],
      [ExcludeAll, { name: 'a' }, 1],
      [ToObject, { name: 'a' }, 1], // the transform made an object: Nest looks into those
      [Grouped, { name: 'a' }, 0], // a transform of a group nobody asked for does not apply
      [CreateCrimeDto, { ...validCreate(), hateStrands: ['race'] }, 1], // an array
      [CreateCrimeDto, { ...validCreate(), victimAge: { n: 1 } }, 1], // an object
      [CreateCrimeDto, { ...validCreate(), victimAge: 121 }, 1], // the plan cannot pass it
      [CreateCrimeDto, { ...validCreate(), extra: 1 }, 1], // an unknown key
      [CreateCrimeDto, null, 1],
      [CreateCrimeDto, [validCreate()], 1],
      [CreateCrimeDto, 'text', 1],
    ];
    for (const [metatype, body, wholeRuns] of cases) {
      const whole = wholePipeRuns();
      let mine;
      try {
        mine = await outcome(planned, body, metatype);
        expect({ metatype: metatype.name, body, runs: whole.count() }).toEqual({
          metatype: metatype.name,
          body,
          runs: wholeRuns,
        });
      } finally {
        whole.restore();
      }
      expect(mine).toStrictEqual(await outcome(nest, body, metatype));
    }
    // A class with a method of a known key's name (plainToInstance skips the key) is not made here either.
    const accessor = await outcome(planned, { name: 'a' }, Accessor);
    expect(accessor).toStrictEqual(await outcome(nest, { name: 'a' }, Accessor));
    expect(accessor).toMatchObject({ passed: true, class: Accessor });
  });

  it('asks class-validator about a body it cannot pass, and refuses it with the same errors', async () => {
    const body = { ...validCreate(), victimAge: 121, extra: 1 };
    const f = fallbacks();
    try {
      const mine = await outcome(planned, body, CreateCrimeDto);
      expect(f.count()).toBe(1);
      expect(mine).toMatchObject({ passed: false, status: 400 });
      expect(mine).toStrictEqual(await outcome(nest, body, CreateCrimeDto));
    } finally {
      f.restore();
    }
  });

  it('treats conditions and `each` as class-validator does (optional nulls pass, each array item is checked)', async () => {
    for (const [body, metatype, passes] of [
      [
        { ...validCreate(), onlineMethod: null, victimAge: null, offenceTo: null },
        CreateCrimeDto,
        true,
      ],
      [
        { ...validCreate(), hateStrands: ['race', 'religion'], acknowledge: ['CF-AGE-001'] },
        CreateCrimeDto,
        true,
      ],
      [{ ...validCreate(), hateStrands: ['race', 7] }, CreateCrimeDto, false],
      [{ ...validCreate(), acknowledge: 'CF-AGE-001' }, CreateCrimeDto, false],
      [{ version: 2, reason: 'age was wrong', victimAge: 15 }, AmendCrimeDto, true],
      [{ version: 2, reason: 'age was wrong', victimSex: null }, AmendCrimeDto, true],
    ] as const) {
      const mine = await outcome(planned, body, metatype);
      expect(mine).toStrictEqual(await outcome(nest, body, metatype));
      expect(mine.passed).toBe(passes);
    }
  });

  it('leaves a class with nested validation to class-validator', async () => {
    class Inner {
      @IsInt() n: number;
    }
    class Outer {
      @IsString() name: string;
      @ValidateIf((_: unknown, v: unknown) => v !== undefined)
      @ValidateNested()
      @Type(() => Inner)
      inner?: Inner;
    }
    const f = fallbacks();
    try {
      for (const body of [
        { name: 'a', inner: { n: 1 } },
        { name: 'a', inner: { n: 'x' } },
        { name: 'a' },
      ]) {
        expect(await outcome(planned, body, Outer)).toStrictEqual(await outcome(nest, body, Outer));
      }
      expect(f.count()).toBe(6); // each body, by both pipes
    } finally {
      f.restore();
    }
  });

  it('decides every generated create and amendment exactly as Nest’s pipe does', async () => {
    let passed = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<[Class, () => Record<string, unknown>]>(
          [CreateCrimeDto, validCreate],
          [AmendCrimeDto, () => ({ version: 3, reason: 'corrected after review' })],
        ),
        fc.dictionary(
          fc.constantFrom(
            ...Object.keys(validCreate()),
            'offenceTo',
            'hateStrands',
            'domesticAbuse',
            'acknowledge',
            'version',
            'reason',
            'childSexualAbuse',
            'extra',
          ),
          anyValue,
          { maxKeys: 3 },
        ),
        fc.boolean(),
        async ([metatype, base], changes, sparse) => {
          const body = { ...(sparse ? {} : base()), ...changes };
          const mine = await outcome(planned, body, metatype);
          expect(mine).toStrictEqual(await outcome(nest, body, metatype));
          if (mine.passed) passed++;
        },
      ),
      { numRuns: 1500 },
    );
    expect(passed).toBeGreaterThan(100); // the comparison covered bodies that pass, not only refusals
  });

  it('decides generated bodies for every validated class of the app as Nest’s pipe does', async () => {
    const classes = validatedClasses();
    expect(classes.length).toBeGreaterThan(30);
    for (const [metatype, properties] of classes) {
      await fc.assert(
        fc.asyncProperty(
          fc.dictionary(fc.constantFrom(...properties, 'extra'), anyValue),
          async (body) => {
            expect(await outcome(planned, body, metatype)).toStrictEqual(
              await outcome(nest, body, metatype),
            );
          },
        ),
        { numRuns: 40 },
      );
    }
  });
});
