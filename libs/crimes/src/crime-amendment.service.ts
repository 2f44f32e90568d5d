import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RequestContext } from '#libs/auth';
import { DomainError, ScopedDb } from '#libs/persistence';
import type { Crime } from './crime.entity.js';
import { toRuleFacts, toView } from './crime.mapper.js';
import { CrimeIncidents } from './crime-incident.js';
import { CrimeRuleChecker } from './crime-rule-checker.js';
import { CrimeStore, diff } from './crime-store.js';
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
  ) {}

  async amend(ctx: RequestContext, id: string, input: AmendCrimeInput): Promise<CrimeView> {
    // The view is built inside the transaction: if it could not be built, nothing is committed (issue #18).
    return this.db.run(ctx.actor.forces, async (em) =>
      toView(await this.amendIn(em, ctx, id, input)),
    );
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
    const changes = diff(before, input.changes, AMENDABLE_FIELDS);
    if (Object.keys(changes).length === 0) return before; // nothing changed: no new version
    const after = { ...before, ...input.changes };
    const facts = await this.incidents.facts(em, ctx, toRuleFacts(after), before);
    const outcome = this.rules.checkCrime(facts, [
      ...before.acknowledgedRules,
      ...(input.acknowledge ?? []),
    ]);
    const patch: Partial<Crime> = {
      ...input.changes,
      ruleWarnings: outcome.warnings,
      acknowledgedRules: outcome.acknowledged,
    };
    const saved = await this.store.update(
      em,
      before,
      patch,
      ctx.actor,
      'amended',
      input.reason,
      changes,
      { ctx, action: 'alteration' },
    );
    return saved;
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

export function assertLive(crime: Crime): void {
  if (crime.status === 'cancelled' || crime.status === 'transferred') {
    throw new DomainError('INVALID_TRANSITION', `a ${crime.status} record cannot be changed`);
  }
}
