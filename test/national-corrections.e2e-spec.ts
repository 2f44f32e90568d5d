import type { INestApplication } from '@nestjs/common';
import pg from 'pg';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { catalogueData } from '#libs/catalogue';
import { canonicalJson, sha256Hex } from '#libs/returns';
import { createTestApp, testDatabaseUrl } from './support/create-test-app.js';
import { crimeBody } from './factories/crime.factory.js';
import { loginAs, userOf, type Headers } from './factories/identity.js';

// The coverage guard and corrections after publication, on 2026-27, North West
// forces: Lancashire and Merseyside accepted, Cheshire submitted, the other 41 forces not started. The tests
// run in order: refused below coverage → published with the missing forces acknowledged → Lancashire revises
// its locked return → a new publication supersedes the first, which stays readable and says so.
const YEAR = '2026-27';
const OTHERS = catalogueData.forces
  .map((f) => f.id)
  .filter((id) => !['lancashire', 'merseyside', 'cheshire'].includes(id))
  .sort();
const MISSING = ['cheshire', ...OTHERS].sort(); // every expected force not accepted
const TITLE = 'Online-flagged crime 2026-27';
const DISCLOSURE = { method: 'threshold' };

const record = (force: string, o: Record<string, unknown> = {}) =>
  crimeBody({
    forceId: force,
    offenceCode: '8L',
    victimAge: 30,
    suspectAge: null,
    offenceTo: null,
    onlinePlatform: null,
    reportedAt: '2026-06-01T09:00:00Z',
    recordedAt: '2026-06-01T12:00:00Z',
    offenceFrom: '2026-05-30T18:00:00Z',
    ...o,
  });

interface Pub {
  id: string;
  sha256: string;
  status: string;
  supersedes: string | null;
  supersededBy: { id: string; publishedAt: string } | null;
  publishedAt: string;
  verified: boolean;
  returnsUsed: { forceId: string; revision: number }[];
  content: {
    notes: string[];
    metadata: {
      supersedes: unknown;
      missingForcesAcknowledged: { forceId: string; forceName: string; status: string }[];
    };
  };
}

describe('publication coverage guard and corrections after publication', () => {
  let app: INestApplication<App>;
  let statistician: Headers, lancashireFcr: Headers, lancashireRegistrar: Headers;
  let first: Pub, second: Pub;
  const http = () => request(app.getHttpServer());
  const publish = (body: object) =>
    http()
      .post(`/national/${YEAR}/publications`)
      .set(statistician)
      .send({ title: TITLE, disclosure: DISCLOSURE, ...body });
  const used = (p: Pub, force: string) => p.returnsUsed.find((r) => r.forceId === force)?.revision;

  beforeAll(async () => {
    app = await createTestApp();
    statistician = await loginAs(app, ['statistician'], 'all', 'stat-corrections');
    lancashireRegistrar = await loginAs(app, ['registrar'], ['lancashire'], 'reg-lancashire');
    lancashireFcr = await loginAs(app, ['force_crime_registrar'], ['lancashire'], 'fcr-lancashire');
    for (const [force, state] of [
      ['lancashire', 'accepted'],
      ['merseyside', 'accepted'],
      ['cheshire', 'submitted'],
    ] as const) {
      const fcr =
        force === 'lancashire'
          ? lancashireFcr
          : await loginAs(app, ['force_crime_registrar'], [force], `fcr-${force}`);
      await http().post('/crimes').set(fcr).send(record(force)).expect(201);
      await http()
        .post('/crimes')
        .set(fcr)
        .send(record(force, { onlineFlag: 'no', onlineMethod: null }))
        .expect(201);
      await http()
        .post(`/returns/${force}/${YEAR}/submit`)
        .set(fcr)
        .send({ version: 0 })
        .expect(200);
      if (state === 'accepted')
        await http()
          .post(`/returns/${force}/${YEAR}/accept`)
          .set(statistician)
          .send({ version: 1 })
          .expect(200);
    }
  });
  afterAll(async () => {
    await app.close();
  });

  it('refuses to publish below the coverage setting (default: every force) and names each missing force', async () => {
    const res = await publish({}).expect(422);
    expect(res.body.code).toBe('RULE_VIOLATION');
    expect(res.body.details.ruleCodes).toEqual(['CF-PUB-002']);
    expect(res.body.details.coverage).toEqual({
      accepted: 2,
      expected: 44,
      share: 2 / 44,
      minCoverage: 1,
    });
    expect(res.body.details.missingForces.map((f: { forceId: string }) => f.forceId)).toEqual(
      MISSING,
    );
    expect(res.body.details.missingForces).toContainEqual({
      forceId: 'cheshire',
      forceName: 'Cheshire Constabulary',
      status: 'received, not accepted',
    });
    expect(res.body.details.missingForces).toContainEqual({
      forceId: 'cumbria',
      forceName: 'Cumbria Constabulary',
      status: 'not received',
    });
    expect(res.body.message).toMatch(
      /^2026-27: 2 of 44 expected forces accepted \(4\.5%\), below the 100% needed to publish without acknowledging the missing forces\. Not acknowledged: /,
    );
    // Acknowledging all but one: the 422 names the one left.
    const partial = await publish({
      acknowledgeMissingForces: MISSING.filter((id) => id !== 'cumbria'),
    }).expect(422);
    expect(partial.body.details.missingForces).toEqual([
      { forceId: 'cumbria', forceName: 'Cumbria Constabulary', status: 'not received' },
    ]);
    // A force the year does not expect is a typo, not an acknowledgement.
    expect(
      (await publish({ acknowledgeMissingForces: [...MISSING, 'atlantis'] }).expect(400)).body
        .message,
    ).toMatch(/does not expect: atlantis/);
    await publish({ acknowledgeMissingForces: 'cheshire' }).expect(400);
    const owner = new pg.Client({ connectionString: testDatabaseUrl() });
    await owner.connect();
    try {
      const { rows } = await owner.query(
        `SELECT count(*)::int AS n FROM publications WHERE financial_year = 2026`,
      );
      expect(rows[0].n).toBe(0);
    } finally {
      await owner.end();
    }
  });

  it('publishes once every missing force is acknowledged, and records the acknowledgement in the hashed content', async () => {
    first = (await publish({ acknowledgeMissingForces: MISSING }).expect(201)).body as Pub;
    expect(first).toMatchObject({
      status: 'current',
      supersedes: null,
      supersededBy: null,
      verified: true,
    });
    expect(first.sha256).toBe(sha256Hex(canonicalJson(first.content)));
    expect(first.returnsUsed.map((r) => [r.forceId, r.revision])).toEqual([
      ['lancashire', 1],
      ['merseyside', 1],
    ]);
    expect(first.content.metadata.supersedes).toBeNull();
    expect(first.content.metadata.missingForcesAcknowledged.map((f) => f.forceId)).toEqual(MISSING);
    expect(first.content.metadata.missingForcesAcknowledged[0]).toEqual({
      forceId: 'avon-and-somerset',
      forceName: 'Avon and Somerset Constabulary',
      status: 'not received',
    });
    expect(first.content.notes.find((n) => n.startsWith('Published without '))).toMatch(
      /Cheshire Constabulary \(received, not accepted\)/,
    );
  });

  it('lets the force revise its locked return (with a reason) when its data changed: state revised, revision 2', async () => {
    const base = `/returns/lancashire/${YEAR}`;
    expect((await http().get(base).set(lancashireFcr).expect(200)).body).toMatchObject({
      state: 'locked',
      actions: [],
    }); // nothing changed yet
    expect(
      (
        await http()
          .post(`${base}/submit`)
          .set(lancashireFcr)
          .send({ version: 3, reason: 'x' })
          .expect(409)
      ).body.message,
    ).toMatch(/nothing changed since/);
    await http()
      .post('/crimes')
      .set(lancashireRegistrar)
      .send(
        record('lancashire', {
          recordedAt: '2026-11-01T12:00:00Z',
          reportedAt: '2026-11-01T09:00:00Z',
        }),
      )
      .expect(201);
    expect((await http().get(base).set(lancashireFcr).expect(200)).body).toMatchObject({
      state: 'locked',
      version: 3,
      actions: ['revise'],
      blockedBy: [],
    });
    expect((await http().get(base).set(statistician).expect(200)).body.actions).toEqual([]);
    await http().post(`${base}/submit`).set(lancashireFcr).send({ version: 3 }).expect(400); // the reason is required
    const res = await http()
      .post(`${base}/submit`)
      .set(lancashireFcr)
      .send({ version: 3, reason: 'a crime recorded late' })
      .expect(200);
    expect(res.body).toMatchObject({
      state: 'revised',
      version: 4,
      currentRevision: 2,
      event: {
        revision: 2,
        action: 'revise',
        fromState: 'locked',
        toState: 'revised',
        reason: 'a crime recorded late',
        by: userOf(lancashireFcr),
      },
    });
    expect(
      (await http().get(`/returns/${YEAR}`).set(statistician).expect(200)).body.forces.find(
        (f: { forceId: string }) => f.forceId === 'lancashire',
      ),
    ).toMatchObject({
      state: 'revised',
      version: 4,
      currentRevision: 2,
      lastEvent: { action: 'revise' },
      changedSinceSubmission: 0,
    });
    // The published revision is untouched and still verifies.
    expect(
      (await http().get(`${base}/revisions/1`).set(statistician).expect(200)).body,
    ).toMatchObject({ revision: 1, verification: { ok: true } });
    expect((await http().get(base).set(statistician).expect(200)).body.actions).toEqual([
      'accept',
      'return',
    ]);
    // The database allows a locked return to move only to 'revised' with the next revision.
    const owner = new pg.Client({ connectionString: testDatabaseUrl() });
    await owner.connect();
    try {
      await expect(
        owner.query(
          `UPDATE force_returns SET state = 'revised' WHERE force_id = 'merseyside' AND financial_year = 2026`,
        ),
      ).rejects.toThrow(/locked by a national publication/);
      await expect(
        owner.query(
          `UPDATE force_returns SET state = 'accepted', current_revision = 2 WHERE force_id = 'merseyside' AND financial_year = 2026`,
        ),
      ).rejects.toThrow(/locked by a national publication/);
    } finally {
      await owner.end();
    }
  });

  it('publishes a correction that supersedes the first publication; the first stays readable, verified and marked superseded', async () => {
    // While the revision awaits the statistics team, Lancashire is missing too.
    const waiting = await publish({ acknowledgeMissingForces: MISSING }).expect(422);
    expect(waiting.body.details.missingForces).toEqual([
      {
        forceId: 'lancashire',
        forceName: 'Lancashire Constabulary',
        status: 'received, not accepted',
      },
    ]);
    await http()
      .post(`/returns/lancashire/${YEAR}/accept`)
      .set(statistician)
      .send({ version: 4 })
      .expect(200);
    second = (
      await publish({ title: `${TITLE} (revised)`, acknowledgeMissingForces: MISSING }).expect(201)
    ).body as Pub;
    expect(second).toMatchObject({
      status: 'current',
      supersedes: first.id,
      supersededBy: null,
      verified: true,
    });
    expect([used(second, 'lancashire'), used(second, 'merseyside')]).toEqual([2, 1]);
    expect(second.content.metadata.supersedes).toEqual({
      id: first.id,
      publishedAt: first.publishedAt,
      returnsChanged: [
        {
          forceId: 'lancashire',
          forceName: 'Lancashire Constabulary',
          revisionBefore: 1,
          revisionAfter: 2,
        },
      ],
    });
    expect(second.content.notes).toContain(
      `Supersedes publication ${first.id} of ${first.publishedAt}: Lancashire Constabulary revision 1 → 2.`,
    );
    const lancashire = (
      await http().get(`/returns/lancashire/${YEAR}`).set(statistician).expect(200)
    ).body;
    expect(lancashire).toMatchObject({ state: 'locked', currentRevision: 2 });
    expect(lancashire.events.map((e: { action: string }) => e.action)).toEqual([
      'submit',
      'accept',
      'lock',
      'revise',
      'accept',
      'lock',
    ]);

    const old = (await http().get(`/publications/${first.id}`).set(lancashireRegistrar).expect(200))
      .body as Pub;
    expect(old).toMatchObject({
      id: first.id,
      sha256: first.sha256,
      verified: true,
      status: 'superseded',
      supersedes: null,
      supersededBy: { id: second.id, publishedAt: second.publishedAt },
    });
    expect(old.content).toEqual(first.content);
    expect(used(old, 'lancashire')).toBe(1);
    const list = (await http().get(`/national/${YEAR}/publications`).set(statistician).expect(200))
      .body as Pub[];
    expect(list.map((p) => [p.id, p.status, p.supersedes, p.supersededBy?.id ?? null])).toEqual([
      [first.id, 'superseded', null, second.id],
      [second.id, 'current', first.id, null],
    ]);
    expect(
      (await http().get(`/publications/${second.id}`).set(statistician).expect(200)).body,
    ).toMatchObject({ status: 'current', supersedes: first.id, supersededBy: null });
  });

  it('publishes without acknowledgement when the accepted share reaches a configured lower setting', async () => {
    // One app at a time: passport keeps one JWT strategy per process, the latest app's (runs last in this file).
    const post = async (minCoverage: number, status: number) => {
      const other = await createTestApp({ publication: { minCoverage } });
      try {
        const as = await loginAs(other, ['statistician'], 'all', 'stat-setting');
        return (
          await request(other.getHttpServer())
            .post(`/national/${YEAR}/publications`)
            .set(as)
            .send({ title: TITLE, disclosure: DISCLOSURE })
            .expect(status)
        ).body;
      } finally {
        await other.close();
      }
    };
    expect((await post(3 / 44, 422)).details.coverage).toEqual({
      accepted: 2,
      expected: 44,
      share: 2 / 44,
      minCoverage: 3 / 44,
    });
    const third = (await post(2 / 44, 201)) as Pub;
    expect(third.content.metadata.missingForcesAcknowledged).toEqual([]);
    expect(third.content.metadata.supersedes).toEqual({
      id: second.id,
      publishedAt: second.publishedAt,
      returnsChanged: [],
    });
    expect(third.content.notes).toContain(
      `Supersedes publication ${second.id} of ${second.publishedAt} (no return changed).`,
    );
  });
});
