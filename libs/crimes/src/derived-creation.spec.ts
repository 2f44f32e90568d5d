import type { Crime } from './crime.entity.js';
import type { CrimeHistory } from './crime-history.entity.js';
import { derivedCreationChanges } from './derived-creation.js';

const record = (over: Partial<Crime> = {}): Crime => ({
  forceId: 'kent',
  id: '00000000-0000-4000-8000-000000000001',
  crimeReference: 'K/1',
  offenceCode: '8L',
  incidentReference: null,
  reportedAt: new Date('2016-05-01T10:00:00Z'),
  recordedAt: new Date('2016-05-01T12:00:00Z'),
  financialYear: 2016,
  offenceFrom: new Date('2016-04-30T09:00:00Z'),
  offenceTo: null,
  onlineFlag: 'yes',
  onlineMethod: 'social_media',
  onlinePlatform: null,
  victimAge: 30,
  victimSex: 'female',
  suspectAge: null,
  domesticAbuse: false,
  hateStrands: ['religion', 'race'],
  childSexualExploitation: false,
  childSexualAbuse: false,
  status: 'confirmed',
  ruleWarnings: [],
  acknowledgedRules: [],
  cancellationCategory: null,
  cancellationJustification: null,
  cancelledAt: null,
  cancelledBy: null,
  transferredToForceId: null,
  transferredToAuthorityId: null,
  version: 1,
  createdAt: new Date('2016-05-02T00:00:00Z'),
  createdBy: 'importer',
  updatedAt: new Date('2016-05-02T00:00:00Z'),
  updatedBy: 'importer',
  importId: '00000000-0000-4000-8000-0000000000aa',
  ...over,
});

describe('derivedCreationChanges', () => {
  it('lists every non-null fact of an unchanged record as old null -> new, in the API shape', () => {
    const changes = derivedCreationChanges(record(), []);
    expect(changes).toEqual({
      offenceCode: { old: null, new: '8L' },
      status: { old: null, new: 'confirmed' },
      reportedAt: { old: null, new: '2016-05-01T10:00:00.000Z' },
      recordedAt: { old: null, new: '2016-05-01T12:00:00.000Z' },
      offenceFrom: { old: null, new: '2016-04-30T09:00:00.000Z' },
      onlineFlag: { old: null, new: 'yes' },
      onlineMethod: { old: null, new: 'social_media' },
      victimAge: { old: null, new: 30 },
      victimSex: { old: null, new: 'female' },
      domesticAbuse: { old: null, new: false },
      hateStrands: { old: null, new: ['race', 'religion'] },
      childSexualExploitation: { old: null, new: false },
      childSexualAbuse: { old: null, new: false },
    });
  });

  it('undoes later changes newest first to give the values the record was created with', () => {
    const now = record({
      offenceCode: '9',
      onlineFlag: 'no',
      onlineMethod: null,
      victimAge: 31,
      version: 4,
    });
    const later: Pick<CrimeHistory, 'version' | 'changes'>[] = [
      { version: 3, changes: { victimAge: { old: 29, new: 31 } } },
      {
        version: 2,
        changes: {
          onlineFlag: { old: 'yes', new: 'no' },
          onlineMethod: { old: 'email', new: null },
          victimAge: { old: null, new: 29 },
        },
      },
      {
        version: 4,
        changes: {
          offenceCode: { old: '8L', new: '9' },
          cancellationCategory: { old: null, new: 'x' },
        },
      },
    ];
    const changes = derivedCreationChanges(now, later);
    expect(changes.offenceCode).toEqual({ old: null, new: '8L' });
    expect(changes.onlineFlag).toEqual({ old: null, new: 'yes' });
    expect(changes.onlineMethod).toEqual({ old: null, new: 'email' });
    expect(changes).not.toHaveProperty('victimAge'); // created without an age: a null fact is left out, as the API does
    expect(changes).not.toHaveProperty('cancellationCategory'); // not a recorded fact
  });
});
