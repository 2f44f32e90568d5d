import { cancellationFindings, codesOf, type CancellationCase } from '../testing/baseline.js';
import { normalise } from './cancellation-insufficient-reason.rule.js';

describe("CF-CANCEL-003: 'victim does not support' alone is not a reason (R17)", () => {
  it.each<CancellationCase>([
    ['baseline', {}, []],
    [
      'victim does not support police action',
      { justification: 'Victim does not support police action.' },
      ['CF-CANCEL-003'],
    ],
    [
      'the victim does not support',
      { justification: 'The victim does not support.' },
      ['CF-CANCEL-003'],
    ],
    [
      "contraction: doesn't",
      { justification: "Victim doesn't support police action" },
      ['CF-CANCEL-003'],
    ],
    [
      'two insufficient phrases',
      { justification: 'No complaint. Victim declines!' },
      ['CF-CANCEL-003'],
    ],
    [
      'short phrase also fails R16',
      { justification: 'No complaint' },
      ['CF-CANCEL-001', 'CF-CANCEL-003'],
    ],
    [
      'phrase plus verifiable information',
      {
        justification:
          'Victim does not support; CCTV shows the item was not stolen, owner found it at home',
      },
      [],
    ],
    [
      'phrase inside another word is not matched',
      { justification: 'Victim declinesxx to say more, see statement 4' },
      [],
    ],
  ])('%s → %j', (_name, patch, expected) => {
    expect(codesOf(cancellationFindings(patch))).toEqual(expected);
  });

  it.each([
    ['  Victim   does NOT support!! ', 'victim does not support'],
    ['Victim’s phone', 'victims phone'],
    ['', ''],
  ])('normalises %p to %p', (text, expected) => {
    expect(normalise(text)).toBe(expected);
  });
});
