import { DomainError } from '#libs/persistence';
import { auditPeriod, planAudit } from './audit-design.js';

const VAP = 'violence against the person';
const SEX = 'sexual offences';
const units = [
  ...Array.from({ length: 60 }, (_, i) => ({
    id: `v-${String(i).padStart(3, '0')}`,
    stratum: VAP,
  })),
  ...Array.from({ length: 30 }, (_, i) => ({
    id: `s-${String(i).padStart(3, '0')}`,
    stratum: SEX,
  })),
  ...Array.from({ length: 10 }, (_, i) => ({
    id: `t-${String(i).padStart(3, '0')}`,
    stratum: 'theft offences',
  })),
];
const groups = [VAP, SEX, 'theft offences', 'robbery'];

describe('planAudit', () => {
  it('allocates in proportion to the strata and draws exactly that many from each', () => {
    const plan = planAudit(groups, units, { sampleSize: 20 }, 'seed-1');
    expect(plan.populations).toEqual({ [VAP]: 60, [SEX]: 30, 'theft offences': 10, robbery: 0 });
    expect(plan.allocation).toEqual({ [VAP]: 12, [SEX]: 6, 'theft offences': 2, robbery: 0 });
    for (const [stratum, n] of Object.entries(plan.allocation)) {
      const drawn = plan.sample.filter((s) => s.stratum === stratum);
      expect(drawn).toHaveLength(n);
      expect(drawn.every((s) => s.crimeId[0] === stratum[0])).toBe(true);
      expect(drawn.map((s) => s.drawOrder)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    }
    expect(new Set(plan.sample.map((s) => s.crimeId)).size).toBe(20);
  });

  it('is reproducible: the same seed gives the same sample whatever order the units come in', () => {
    const a = planAudit(groups, units, { sampleSize: 20 }, 'seed-1');
    const b = planAudit(groups, [...units].reverse(), { sampleSize: 20 }, 'seed-1');
    const c = planAudit(groups, units, { sampleSize: 20 }, 'seed-2');
    expect(b.sample).toEqual(a.sample);
    expect(c.sample).not.toEqual(a.sample);
  });

  it('sizes the sample from a margin of error (95%, p = 0.5, finite population of 100)', () => {
    // n0 = 1.96² × 0.25 / 0.1² = 96.04; n = 96.04 / (1 + 95.04 / 100) = 49.24 → 50.
    expect(planAudit(groups, units, { targetMargin: 0.1 }, 's').total).toBe(50);
  });

  it('takes every record when asked for more than the population, and refuses impossible requests', () => {
    expect(planAudit(groups, units, { sampleSize: 500 }, 's').total).toBe(100);
    expect(() => planAudit(groups, units, { sampleSize: 2 }, 's')).toThrow(DomainError);
    expect(() => planAudit(groups, [], { sampleSize: 2 }, 's')).toThrow(/no confirmed records/);
  });
});

describe('auditPeriod', () => {
  it('reads a financial year or inclusive UK dates (midnight in London time)', () => {
    expect(auditPeriod({ year: 2017 })).toEqual({
      label: '2017-18',
      start: new Date('2017-03-31T23:00:00Z'),
      end: new Date('2018-03-31T23:00:00Z'),
    });
    expect(auditPeriod({ from: '2017-08-01', to: '2018-01-31' })).toEqual({
      label: '2017-08-01..2018-01-31',
      start: new Date('2017-07-31T23:00:00Z'),
      end: new Date('2018-02-01T00:00:00Z'),
    });
  });

  it.each([
    [{ year: 2017, from: '2017-08-01', to: '2017-09-01' }],
    [{ from: '2017-08-01' }],
    [{ from: '2017-09-01', to: '2017-08-01' }],
    [{ from: '2017-02-30', to: '2017-03-01' }],
  ])('refuses %j', (p) => {
    expect(() => auditPeriod(p)).toThrow(DomainError);
  });
});
