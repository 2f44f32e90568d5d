// Calendar arithmetic in UK local time (Europe/London), without external libraries.
// Years, offence dates and code/force validity dates are UK calendar dates (domain.md §9),
// so a Date (an instant) must be read in London time, not UTC.

const LONDON = 'Europe/London';

// Built once: Intl formatters are expensive to construct. h23 avoids a '24' hour at midnight.
const partsFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: LONDON,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

export interface LondonParts {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function assertValid(date: Date): void {
  if (Number.isNaN(date.getTime()))
    throw new RangeError('Invalid date: cannot place it in UK local time');
}

// UK clock changes happen on the hour in UTC (01:00), so the offset is constant within a UTC hour: cache it
// per hour and read the parts with plain arithmetic. formatToParts per call was the import's hottest path.
const offsetByHour = new Map<number, number>();
const HOUR_MS = 3_600_000;

function offsetMs(t: number): number {
  const hour = Math.floor(t / HOUR_MS);
  let offset = offsetByHour.get(hour);
  if (offset === undefined) {
    const parts = partsFormat.formatToParts(new Date(hour * HOUR_MS));
    const pick = (type: Intl.DateTimeFormatPartTypes): number =>
      Number(parts.find((p) => p.type === type)?.value);
    offset =
      Date.UTC(
        pick('year'),
        pick('month') - 1,
        pick('day'),
        pick('hour'),
        pick('minute'),
        pick('second'),
      ) -
      hour * HOUR_MS;
    if (offsetByHour.size > 200_000) offsetByHour.clear();
    offsetByHour.set(hour, offset);
  }
  return offset;
}

export function londonParts(date: Date): LondonParts {
  assertValid(date);
  const local = new Date(date.getTime() + offsetMs(date.getTime()));
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
  };
}

// London's offset from UTC at an instant, in minutes (0 in GMT, 60 in BST).
export function londonOffsetMinutes(date: Date): number {
  const p = londonParts(date);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((asUtc - Math.floor(date.getTime() / 1000) * 1000) / 60_000);
}

export interface LondonDay {
  year: number;
  month: number; // 1-12
  day: number;
  date: string; // 'YYYY-MM-DD'
}

// The calendar day of an instant in London, cached per day: the import asks for a few per row (rules, the
// financial year), and building the parts and the string each time was a tenth of its validation.
const dayByIndex = new Map<number, Readonly<LondonDay>>();
const DAY_MS = 86_400_000;

export function londonDay(date: Date): Readonly<LondonDay> {
  assertValid(date);
  const index = Math.floor((date.getTime() + offsetMs(date.getTime())) / DAY_MS);
  let day = dayByIndex.get(index);
  if (day === undefined) {
    const local = new Date(index * DAY_MS);
    const [year, month, d] = [local.getUTCFullYear(), local.getUTCMonth() + 1, local.getUTCDate()];
    // Frozen: every caller on that day shares the object.
    day = Object.freeze({
      year,
      month,
      day: d,
      date: `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
    });
    if (dayByIndex.size > 200_000) dayByIndex.clear();
    dayByIndex.set(index, day);
  }
  return day;
}

// The UK calendar date of an instant, as 'YYYY-MM-DD' (comparable with catalogue ISO dates).
export function londonDate(date: Date): string {
  return londonDay(date).date;
}

// The instant of local midnight starting a UK calendar day. Midnight always exists in London
// (clocks change at 01:00 UTC), so two passes settle the offset.
export function londonMidnight(year: number, month: number, day: number): Date {
  return londonWallTime(year, month, day, 0, 0);
}

// The instant a London wall clock shows this time (forms take UK local time). A wall time that is ambiguous
// or skipped (the hour the clocks change) resolves to a neighbouring instant.
export function londonWallTime(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
): Date {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  let instant = wall - londonOffsetMinutes(new Date(wall)) * 60_000;
  instant = wall - londonOffsetMinutes(new Date(instant)) * 60_000;
  return new Date(instant);
}
