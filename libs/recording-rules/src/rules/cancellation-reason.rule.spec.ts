import {
  baselineTransfer,
  cancellationFindings,
  codesOf,
  type CancellationCase,
} from '../testing/baseline.js';

describe('CF-CANCEL-001: category, AVI justification and receiving force (R16)', () => {
  describe('when cancelling', () => {
    it.each<CancellationCase>([
      ['baseline', {}, []],
      ['unknown category', { category: 'C9' }, ['CF-CANCEL-001']],
      ['transfer category on a cancellation', { category: 'C1' }, ['CF-CANCEL-001']],
      [
        'justification of 19 non-blank characters',
        { justification: `CCTV ${'x'.repeat(15)}  ` },
        ['CF-CANCEL-001'],
      ],
      ['justification of 20 non-blank characters', { justification: `CCTV ${'x'.repeat(16)}` }, []],
      ['blank justification', { justification: '      ' }, ['CF-CANCEL-001']],
    ])('%s → %j', (_name, patch, expected) => {
      expect(codesOf(cancellationFindings(patch))).toEqual(expected);
    });
  });

  describe('when transferring', () => {
    it.each<CancellationCase>([
      ['baseline transfer', {}, []],
      ['no receiving force', { toForceId: null }, ['CF-CANCEL-001']],
      ['unknown receiving force', { toForceId: 'atlantis' }, ['CF-CANCEL-001']],
      ['to the same force', { toForceId: 'derbyshire' }, ['CF-CANCEL-001']],
      ['cancel category on a transfer', { category: 'C2' }, ['CF-CANCEL-001']],
      // Issue 20: investigating authorities outside the 44 forces (HOCR Section I).
      ['to Police Scotland', { toForceId: null, toAuthorityId: 'police-scotland' }, []],
      [
        'to an unknown authority',
        { toForceId: null, toAuthorityId: 'atlantis-police' },
        ['CF-CANCEL-001'],
      ],
      [
        'to a force and an authority at once',
        { toAuthorityId: 'police-scotland' },
        ['CF-CANCEL-001'],
      ],
    ])('%s → %j', (_name, patch, expected) => {
      expect(codesOf(cancellationFindings(patch, baselineTransfer()))).toEqual(expected);
    });

    it('says why a transfer to an authority is refused', () => {
      const [unknown] = cancellationFindings(
        { toForceId: null, toAuthorityId: 'atlantis-police' },
        baselineTransfer(),
      );
      expect(unknown.details?.problems).toEqual(["unknown receiving authority 'atlantis-police'"]);
      const [both] = cancellationFindings({ toAuthorityId: 'psni' }, baselineTransfer());
      expect(both.details?.problems).toEqual([
        'transfer names both a force and an authority; name one receiver',
      ]);
      const [none] = cancellationFindings({ toForceId: null }, baselineTransfer());
      expect(none.details?.problems).toEqual(['transfer without a receiving force or authority']);
    });
  });

  it('lists every problem', () => {
    const [finding] = cancellationFindings({ category: 'C9', justification: 'short' });
    expect(finding.details?.problems).toHaveLength(2);
  });
});
