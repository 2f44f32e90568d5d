import { Injectable } from '@nestjs/common';
import { DataSource, QueryFailedError } from 'typeorm';
import type { Actor } from '#libs/auth';
import { DomainError } from '#libs/persistence';
import type { Crime } from './crime.entity.js';
import { toRuleFacts, toView } from './crime.mapper.js';
import { CrimeRuleChecker } from './crime-rule-checker.js';
import { CrimeStore, diff } from './crime-store.js';
import { AMENDABLE_FIELDS, type ConfirmCrimeInput, type CrimeView, type RecordCrimeInput } from './crime.types.js';

// Recording a crime and confirming a draft.
@Injectable()
export class CrimeRecordingService {
  constructor(
    private readonly ds: DataSource,
    private readonly store: CrimeStore,
    private readonly rules: CrimeRuleChecker,
  ) {}

  async record(actor: Actor, input: RecordCrimeInput): Promise<CrimeView> {
    this.store.assertForce(actor, input.forceId);
    const { acknowledge, ...fields } = input;
    const draft = { ...fields } as Crime;
    const outcome = this.rules.checkCrime(toRuleFacts(draft), acknowledge);
    const values: Partial<Crime> = { ...fields, ruleWarnings: outcome.warnings, acknowledgedRules: outcome.acknowledged };
    const created = await this.ds
      .transaction((em) =>
        this.store.insert(em, values, actor, diff({} as Crime, values, ['offenceCode', 'status', ...AMENDABLE_FIELDS])),
      )
      .catch((e: unknown) => {
        if (e instanceof QueryFailedError && (e.driverError as { constraint?: string }).constraint === 'uq_crimes_reference') {
          throw new DomainError('DUPLICATE_REFERENCE', `crime reference ${input.crimeReference} already exists in ${input.forceId}`);
        }
        throw e;
      });
    return toView(created);
  }

  async confirm(actor: Actor, id: string, input: ConfirmCrimeInput): Promise<CrimeView> {
    const crime = await this.ds.transaction(async (em) => {
      const before = await this.store.lockForChange(em, actor, id, input.version);
      if (before.status !== 'draft') {
        throw new DomainError('INVALID_TRANSITION', `only a draft can be confirmed; this record is ${before.status}`);
      }
      const outcome = this.rules.checkCrime(
        toRuleFacts({ ...before, status: 'confirmed' }),
        [...before.acknowledgedRules, ...input.acknowledge],
      );
      const patch: Partial<Crime> = { status: 'confirmed', ruleWarnings: outcome.warnings, acknowledgedRules: outcome.acknowledged };
      return this.store.update(em, before, patch, actor, 'confirmed', null, diff(before, patch, ['status']));
    });
    return toView(crime);
  }
}
