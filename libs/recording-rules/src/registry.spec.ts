import { ALL_RULES, describeRules, evaluateCrime, partitionFindings } from './registry.js';
import type { RuleFinding } from './rule.js';
import { defaultRulesConfig } from './rules-config.js';
import {
  baselineCancellation,
  baselineCrime,
  baselineTransfer,
  cancellationFindings,
  codesOf,
  crimeFindings,
  reclassificationFindings,
  testContext,
} from './testing/baseline.js';

describe('rule registry', () => {
  describe('when listing rules', () => {
    it('has unique codes, each citing its domain.md §14 rule', () => {
      const codes = ALL_RULES.map((r) => r.code);
      expect(new Set(codes).size).toBe(codes.length);
      for (const rule of ALL_RULES) expect(rule.reference).toMatch(/domain\.md §14 R\d+/);
    });

    it('keeps every INFERRED or UNCONFIRMED rule switchable in the default config', () => {
      const soft = ALL_RULES.filter((r) => r.basis === 'INFERRED' || r.basis === 'UNCONFIRMED').map(
        (r) => r.code,
      );
      expect(Object.keys(defaultRulesConfig.settings).sort()).toEqual(soft.sort());
    });

    it('describes rules with the effective severity and switch', () => {
      const config = testContext({
        settings: { 'CF-TIME-001': { severity: 'block' }, 'CF-FLAG-003': { enabled: false } },
      }).config;
      const described = describeRules(config);
      expect(described).toHaveLength(ALL_RULES.length);
      expect(described.find((r) => r.code === 'CF-TIME-001')).toMatchObject({
        severity: 'block',
        enabled: true,
        fromYear: 2002,
      });
      expect(described.find((r) => r.code === 'CF-FLAG-003')).toMatchObject({
        severity: 'warn',
        enabled: false,
      });
      expect(described.find((r) => r.code === 'CF-CANCEL-001')).toMatchObject({
        subject: 'cancellation',
        basis: 'UNCONFIRMED',
      });
    });
  });

  describe('when evaluating the baselines', () => {
    it('finds nothing wrong with any of them', () => {
      expect(crimeFindings({})).toEqual([]);
      expect(cancellationFindings({})).toEqual([]);
      expect(cancellationFindings({}, baselineTransfer())).toEqual([]);
      expect(reclassificationFindings({})).toEqual([]);
    });

    it('does not mutate the facts', () => {
      const crime = baselineCrime();
      evaluateCrime(crime, testContext());
      expect(crime).toEqual(baselineCrime());
      expect(baselineCancellation()).toEqual(baselineCancellation());
    });
  });

  describe('when the config changes a rule', () => {
    const late = { recordedAt: new Date('2018-05-02T12:00:00Z') };

    it('skips a disabled rule', () => {
      const ctx = testContext({ settings: { 'CF-TIME-001': { enabled: false } } });
      expect(crimeFindings(late, ctx)).toEqual([]);
    });

    it('applies a severity override', () => {
      const ctx = testContext({ settings: { 'CF-TIME-001': { severity: 'block' } } });
      expect(crimeFindings(late, ctx)).toMatchObject([{ code: 'CF-TIME-001', severity: 'block' }]);
    });

    it('uses the configured time limit', () => {
      const ctx = testContext({ timelinessHours: [{ fromYear: 2002, hours: 72 }] });
      expect(crimeFindings(late, ctx)).toEqual([]);
    });
  });

  describe('when the record falls outside a rule’s years', () => {
    // 8L: harassment exists in every year; only the year-scoped flag rules differ.
    const unflagged = (recordedAt: string) => ({
      offenceCode: '8L',
      offenceFrom: new Date('2015-03-30T10:00:00Z'),
      offenceTo: null,
      reportedAt: new Date('2015-03-31T20:00:00Z'),
      recordedAt: new Date(recordedAt),
      onlineFlag: 'unknown' as const,
      onlineMethod: null,
    });

    it.each([
      ['2015-03-31T22:59:59Z', 'last second of 2014-15', []],
      ['2015-03-31T23:00:00Z', 'first second of 2015-16 (BST)', ['CF-FLAG-001']],
    ])('recorded %s (%s) → %j', (recordedAt, _label, expected) => {
      // CF-DATE-002 refuses anything recorded before 2015-16; off here to see the year scoping alone.
      const ctx = testContext({ settings: { 'CF-DATE-002': { enabled: false } } });
      expect(codesOf(crimeFindings(unflagged(recordedAt), ctx))).toEqual(expected);
    });

    it('still evaluates every rule when the recorded date is invalid', () => {
      expect(codesOf(crimeFindings({ recordedAt: new Date('invalid') }))).toEqual(['CF-DATE-001']);
    });
  });
});

describe('partitionFindings', () => {
  const finding = (code: string, severity: RuleFinding['severity']): RuleFinding => ({
    code,
    severity,
    message: code,
    reference: 'test',
  });
  const findings = [
    finding('B', 'block'),
    finding('C1', 'confirm'),
    finding('C2', 'confirm'),
    finding('W', 'warn'),
  ];

  it('separates blocking, unacknowledged, acknowledged and warning findings', () => {
    const parts = partitionFindings(findings, ['C2']);
    expect(codesOf(parts.blocking)).toEqual(['B']);
    expect(codesOf(parts.unacknowledged)).toEqual(['C1']);
    expect(codesOf(parts.acknowledged)).toEqual(['C2']);
    expect(codesOf(parts.warnings)).toEqual(['W']);
  });

  it('does not let an acknowledgement lift a block', () => {
    expect(codesOf(partitionFindings(findings, ['B', 'C1', 'C2']).blocking)).toEqual(['B']);
  });

  it('leaves nothing to refuse when confirms are acknowledged and nothing blocks', () => {
    const parts = partitionFindings(crimeFindings({ offenceCode: '19D', victimAge: 12 }), [
      'CF-AGE-005',
    ]);
    expect([...parts.blocking, ...parts.unacknowledged]).toEqual([]);
    expect(codesOf(parts.acknowledged)).toEqual(['CF-AGE-005']);
  });
});
