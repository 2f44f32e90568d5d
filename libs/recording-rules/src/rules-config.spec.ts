import { defaultRulesConfig, mergeRulesConfig } from './rules-config.js';

describe('rules config', () => {
  it('uses 72h before 2015-16 and 24h from it (domain.md §2)', () => {
    expect(defaultRulesConfig.timelinessHours).toEqual([
      { fromYear: 2002, hours: 72 },
      { fromYear: 2015, hours: 24 },
    ]);
  });

  it('has one transfer category and unique category codes', () => {
    const codes = defaultRulesConfig.cancellationCategories.map((c) => c.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(
      defaultRulesConfig.cancellationCategories
        .filter((c) => c.kind === 'transfer')
        .map((c) => c.code),
    ).toEqual(['C1']);
  });

  describe('when merging an override', () => {
    it('merges settings per rule and keeps the rest of the base', () => {
      const merged = mergeRulesConfig(defaultRulesConfig, {
        settings: { 'CF-FLAG-003': { enabled: false }, 'CF-TIME-001': { severity: 'block' } },
      });
      expect(merged.settings['CF-FLAG-003']).toEqual({ enabled: false });
      expect(merged.settings['CF-TIME-001']).toEqual({ enabled: true, severity: 'block' });
      expect(merged.settings['CF-CANCEL-001']).toEqual({ enabled: true });
      expect(merged.maxVictimAge).toBe(120);
    });

    it('replaces lists and scalars, ignoring undefined values', () => {
      const merged = mergeRulesConfig(defaultRulesConfig, {
        cancellationRoles: ['ddm'],
        maxVictimAge: undefined,
      });
      expect(merged.cancellationRoles).toEqual(['ddm']);
      expect(merged.maxVictimAge).toBe(120);
    });

    it('does not mutate the base', () => {
      const before = JSON.stringify(defaultRulesConfig);
      mergeRulesConfig(defaultRulesConfig, {
        settings: { 'CF-AGE-006': { enabled: false } },
        maxVictimAge: 99,
      });
      expect(JSON.stringify(defaultRulesConfig)).toBe(before);
    });
  });
});
