import { randomUUID } from 'node:crypto';

// A valid, confirmed, online-flagged child sexual offence: the baseline each test mutates.
export function crimeBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    forceId: 'derbyshire',
    crimeReference: `T-${randomUUID().slice(0, 13)}`,
    offenceCode: '71/17',
    reportedAt: '2018-05-01T10:00:00Z',
    recordedAt: '2018-05-01T12:00:00Z',
    offenceFrom: '2018-04-20T18:00:00Z',
    offenceTo: '2018-04-28T18:00:00Z',
    onlineFlag: 'yes',
    onlineMethod: 'messages sent through a social media app',
    onlinePlatform: 'synthetic-chat-app',
    victimAge: 14,
    victimSex: 'female',
    suspectAge: 30,
    status: 'confirmed',
    ...overrides,
  };
}
