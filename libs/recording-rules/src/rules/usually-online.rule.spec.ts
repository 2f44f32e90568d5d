import { codesOf, crimeFindings, type CrimeCase } from '../testing/baseline.js';

describe("CF-FLAG-003: usually-online offence flagged 'no' goes to review (R14)", () => {
  const notOnline = { onlineFlag: 'no', onlineMethod: null } as const;
  it.each<CrimeCase>([
    ['baseline', {}, []],
    ['71/17 flagged no', notOnline, ['CF-FLAG-003']],
    ['86/2 flagged no', { ...notOnline, offenceCode: '86/2' }, ['CF-FLAG-003']],
    ['8L flagged no', { ...notOnline, offenceCode: '8L' }, []],
    // Issue 20: stalking / harassment only when the method text mentions a message or social media (domain.md R14).
    ['8Q flagged no, no method text', { ...notOnline, offenceCode: '8Q' }, []],
    [
      '8Q flagged no, followed home',
      { onlineFlag: 'no', onlineMethod: 'followed her home from work', offenceCode: '8Q' },
      [],
    ],
    [
      '8Q flagged no, repeated messages',
      { onlineFlag: 'no', onlineMethod: 'Repeated MESSAGES to her phone', offenceCode: '8Q' },
      ['CF-FLAG-003'],
    ],
    [
      '8Q flagged no, social media',
      { onlineFlag: 'no', onlineMethod: 'posts about her on social media', offenceCode: '8Q' },
      ['CF-FLAG-003'],
    ],
    [
      '8Q flagged yes, messages',
      { onlineFlag: 'yes', onlineMethod: 'messages', offenceCode: '8Q' },
      [],
    ],
    // Malicious communications (8R) is usually online.
    ['8R flagged no', { ...notOnline, offenceCode: '8R' }, ['CF-FLAG-003']],
  ])('%s → %j', (_name, patch, expected) => {
    expect(codesOf(crimeFindings(patch))).toEqual(expected);
  });

  it('says which word in the method text sent it to review', () => {
    expect(
      crimeFindings({ onlineFlag: 'no', onlineMethod: 'social media posts', offenceCode: '8Q' })[0]
        .details,
    ).toEqual({
      offenceCode: '8Q',
      methodMentions: 'social media',
    });
  });
});
