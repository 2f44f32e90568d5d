import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Actor } from '#libs/auth';
import { DomainError } from '#libs/persistence';
import type { Crime } from './crime.entity.js';
import { toRuleFacts, toView } from './crime.mapper.js';
import { CrimeRuleChecker } from './crime-rule-checker.js';
import { CrimeStore, diff } from './crime-store.js';
import { AMENDABLE_FIELDS, type AmendCrimeInput, type CrimeView, type ReclassifyCrimeInput } from './crime.types.js';

// Amendments and reclassification (HOCR Section B): rules re-run, history keeps old -> new and the reason.
@Injectable()
export class CrimeAmendmentService {
  constructor(
    private readonly ds: DataSource,
    private readonly store: CrimeStore,
    private readonly rules: CrimeRuleChecker,
  ) {}

  async amend(actor: Actor, id: string, input: AmendCrimeInput): Promise<CrimeView> {
    const crime = await this.ds.transaction(async (em) => {
      const before = await this.store.lockForChange(em, actor, id, input.version);
      assertLive(before);
      const changes = diff(before, input.changes, AMENDABLE_FIELDS);
      if (Object.keys(changes).length === 0) return before; // nothing changed: no new version
      const after = { ...before, ...input.changes };
      const outcome = this.rules.checkCrime(toRuleFacts(after), [...before.acknowledgedRules, ...input.acknowledge]);
      const patch: Partial<Crime> = { ...input.changes, ruleWarnings: outcome.warnings, acknowledgedRules: outcome.acknowledged };
      return this.store.update(em, before, patch, actor, 'amended', input.reason, changes);
    });
    return toView(crime);
  }

  async reclassify(actor: Actor, id: string, input: ReclassifyCrimeInput): Promise<CrimeView> {
    const crime = await this.ds.transaction(async (em) => {
      const before = await this.store.lockForChange(em, actor, id, input.version);
      assertLive(before);
      this.rules.checkReclassification({ fromCode: before.offenceCode, toCode: input.offenceCode, reason: input.reason });
      // Acknowledgements were given for the old classification: the new code must earn its own.
      const outcome = this.rules.checkCrime(toRuleFacts({ ...before, offenceCode: input.offenceCode }), input.acknowledge);
      const patch: Partial<Crime> = {
        offenceCode: input.offenceCode,
        ruleWarnings: outcome.warnings,
        acknowledgedRules: outcome.acknowledged,
      };
      return this.store.update(em, before, patch, actor, 'reclassified', input.reason, diff(before, patch, ['offenceCode']));
    });
    return toView(crime);
  }
}

function assertLive(crime: Crime): void {
  if (crime.status === 'cancelled' || crime.status === 'transferred') {
    throw new DomainError('INVALID_TRANSITION', `a ${crime.status} record cannot be changed`);
  }
}
