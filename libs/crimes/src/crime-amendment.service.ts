import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RequestContext } from '#libs/auth';
import type { CrimeFacts } from '#libs/recording-rules';
import { DomainError, ScopedDb } from '#libs/persistence';
import type { Crime } from './crime.entity.js';
import { toRuleFacts, toView } from './crime.mapper.js';
import { CrimeIncidents } from './crime-incident.js';
import { CrimeRuleChecker } from './crime-rule-checker.js';
import { CrimeAmendBatcher } from './crime-amend-batcher.js';
import { RecentCrimes } from './crime-recent.js';
import { assertVersion, CrimeStore, diff, type CrimeUpdate } from './crime-store.js';
import type { FieldChanges } from './crime-history.entity.js';
import {
  AMENDABLE_FIELDS,
  type AmendCrimeInput,
  type CrimeView,
  type ReclassifyCrimeInput,
} from './crime.types.js';

// Amendments and reclassification (HOCR Section B): rules re-run, history keeps old -> new and the reason.
@Injectable()
export class CrimeAmendmentService {
  constructor(
    private readonly db: ScopedDb,
    private readonly store: CrimeStore,
    private readonly rules: CrimeRuleChecker,
    private readonly incidents: CrimeIncidents,
    private readonly amends: CrimeAmendBatcher,
    private readonly recent: RecentCrimes,
  ) {}

  // A record of no incident (the usual case) is amended in two round trips and no open transaction (issue #21), or
  // one if this process has just written it at the version asked for (amendKnown):
  // read it, decide (version, rules), then write only if it is still at that version; the read and the write each
  // go in one statement with other requests' arriving meanwhile (CrimeAmendBatcher; the write in a run with their
  // creates, CrimeWriteBatcher). A record changed in between is not written (the statement finds no row) and
  // answers 409, as a stale version does; the read and the write are separate transactions, and nothing is logged
  // or kept of an amendment that did not happen. The view is built after the commit; toView only copies fields and
  // its formatter is total (issue #18). A record of an incident is read with the others of that incident (the
  // Principal Crime Rule) in one transaction, under a lock, as before.
  async amend(ctx: RequestContext, id: string, input: AmendCrimeInput): Promise<CrimeView> {
    const known = await this.amendKnown(ctx, id, input);
    if (known) return known;
    const before = await this.amends.read(ctx.actor.forces, id);
    if (before.incidentReference) {
      // The view is built inside the transaction: if it could not be built, nothing is committed (issue #18).
      return this.db.run(ctx.actor.forces, async (em) =>
        toView(await this.amendIn(em, ctx, id, input)),
      );
    }
    assertVersion(before, input.version);
    assertLive(before);
    const change = this.decideAlone(before, input);
    if (!change) return toView(before); // nothing changed: no new version
    const written = await this.amends.update(ctx.actor.forces, amended(ctx, before, input, change));
    if (!written) {
      // Changed since it was read: answered as a stale version, with the version it is at now.
      const now = await this.amends.read(ctx.actor.forces, id);
      assertVersion(now, input.version);
      throw new DomainError(
        'VERSION_CONFLICT',
        `crime ${id} changed while it was being amended: reload and retry`,
      );
    }
    return toView(written);
  }

  // An amendment of a record this process wrote at the version the request names (RecentCrimes), decided on that
  // record without reading it (issue #21: one statement instead of two). Only the way to success is taken: if the
  // record is not kept at that version, has an incident, is not live, the rules refuse, nothing changes, or the
  // write finds the record at another version, nothing is written and the answer is undefined, and amend() goes the
  // usual way from a fresh read. So every refusal and every answer without a write (409 before 422, the record as it
  // is now) comes from the record as it is, and a write is decided on the record it changes: the write is made only
  // at that version, and a version has one content.
  private async amendKnown(
    ctx: RequestContext,
    id: string,
    input: AmendCrimeInput,
  ): Promise<CrimeView | undefined> {
    const before = this.recent.at(ctx.actor, id, input.version);
    if (!before || before.incidentReference || isClosed(before)) return undefined;
    let change: ReturnType<CrimeAmendmentService['decide']>;
    try {
      change = this.decideAlone(before, input);
    } catch {
      return undefined; // refused on the kept record: answered from a fresh one
    }
    if (!change) return undefined;
    const written = await this.amends.update(ctx.actor.forces, amended(ctx, before, input, change));
    return written ? toView(written) : undefined;
  }

  // The amendment inside the caller's transaction (bulk resolution runs many in one).
  async amendIn(
    em: EntityManager,
    ctx: RequestContext,
    id: string,
    input: AmendCrimeInput,
  ): Promise<Crime> {
    const before = await this.store.lockForChange(em, ctx.actor, id, input.version);
    assertLive(before);
    // Nothing changed: no new version, and the incident's other records are not read.
    if (Object.keys(diff(before, input.changes, AMENDABLE_FIELDS)).length === 0) return before;
    const facts = await this.incidents.facts(
      em,
      ctx,
      toRuleFacts({ ...before, ...input.changes }),
      before,
    );
    return this.store.update(
      em,
      ...amended(ctx, before, input, this.decide(before, input, facts)!),
    );
  }

  // decide() for a record of no incident: the rules see no other record (incident null, as CrimeIncidents gives it).
  private decideAlone(before: Crime, input: AmendCrimeInput) {
    return this.decide(before, input, {
      ...toRuleFacts({ ...before, ...input.changes }),
      incident: null,
    });
  }

  // What an amendment changes (none: nothing), with the rules re-run on the amended record.
  private decide(
    before: Crime,
    input: AmendCrimeInput,
    facts: CrimeFacts,
  ): { patch: Partial<Crime>; changes: FieldChanges } | null {
    const changes = diff(before, input.changes, AMENDABLE_FIELDS);
    if (Object.keys(changes).length === 0) return null;
    const outcome = this.rules.checkCrime(facts, [
      ...before.acknowledgedRules,
      ...(input.acknowledge ?? []),
    ]);
    return {
      patch: {
        ...input.changes,
        ruleWarnings: outcome.warnings,
        acknowledgedRules: outcome.acknowledged,
      },
      changes,
    };
  }

  async reclassify(
    ctx: RequestContext,
    id: string,
    input: ReclassifyCrimeInput,
  ): Promise<CrimeView> {
    return this.db.run(ctx.actor.forces, async (em) => {
      const before = await this.store.lockForChange(em, ctx.actor, id, input.version);
      assertLive(before);
      this.rules.checkReclassification({
        fromCode: before.offenceCode,
        toCode: input.offenceCode,
        reason: input.reason,
      });
      // Acknowledgements were given for the old classification: the new code must earn its own.
      const facts = await this.incidents.facts(
        em,
        ctx,
        toRuleFacts({ ...before, offenceCode: input.offenceCode }),
        before,
      );
      const outcome = this.rules.checkCrime(facts, input.acknowledge ?? []);
      const patch: Partial<Crime> = {
        offenceCode: input.offenceCode,
        ruleWarnings: outcome.warnings,
        acknowledgedRules: outcome.acknowledged,
      };
      const saved = await this.store.update(
        em,
        before,
        patch,
        ctx.actor,
        'reclassified',
        input.reason,
        diff(before, patch, ['offenceCode']),
        { ctx, action: 'alteration' },
      );
      return toView(saved);
    });
  }
}

// The write of an amendment decided on (CrimeStore.update's arguments).
function amended(
  ctx: RequestContext,
  before: Crime,
  input: AmendCrimeInput,
  change: { patch: Partial<Crime>; changes: FieldChanges },
): CrimeUpdate {
  return [
    before,
    change.patch,
    ctx.actor,
    'amended',
    input.reason,
    change.changes,
    { ctx, action: 'alteration' },
  ];
}

function isClosed(crime: Crime): boolean {
  return crime.status === 'cancelled' || crime.status === 'transferred';
}

export function assertLive(crime: Crime): void {
  if (isClosed(crime)) {
    throw new DomainError('INVALID_TRANSITION', `a ${crime.status} record cannot be changed`);
  }
}
