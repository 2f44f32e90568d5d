import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Actor } from '#libs/auth';
import { DomainError } from '#libs/persistence';
import type { Crime } from './crime.entity.js';
import { toView } from './crime.mapper.js';
import { CrimeRuleChecker } from './crime-rule-checker.js';
import { CrimeStore, diff } from './crime-store.js';
import type { CrimeView, RemoveCrimeInput } from './crime.types.js';

// Cancelling or transferring a recorded crime (HOCR Section C): reason category, AVI text, decision maker.
@Injectable()
export class CrimeRemovalService {
  constructor(
    private readonly ds: DataSource,
    private readonly store: CrimeStore,
    private readonly rules: CrimeRuleChecker,
  ) {}

  cancel(actor: Actor, id: string, input: RemoveCrimeInput): Promise<CrimeView> {
    return this.remove(actor, id, input, 'cancelled');
  }

  transfer(actor: Actor, id: string, input: RemoveCrimeInput): Promise<CrimeView> {
    return this.remove(actor, id, input, 'transferred');
  }

  private async remove(actor: Actor, id: string, input: RemoveCrimeInput, to: 'cancelled' | 'transferred'): Promise<CrimeView> {
    const crime = await this.ds.transaction(async (em) => {
      const before = await this.store.lockForChange(em, actor, id, input.version);
      if (before.status !== 'confirmed') {
        throw new DomainError('INVALID_TRANSITION', `only a confirmed record can be ${to}; this record is ${before.status}`);
      }
      const toForceId = to === 'transferred' ? input.toForceId : null;
      if (toForceId !== null && toForceId === before.forceId) {
        throw new DomainError('INVALID_INPUT', 'a record cannot be transferred to its own force');
      }
      this.rules.checkCancellation({
        kind: to === 'cancelled' ? 'cancel' : 'transfer',
        category: input.category,
        justification: input.justification,
        decisionMakerRoles: actor.roles,
        toForceId,
      });
      const patch: Partial<Crime> = {
        status: to,
        cancellationCategory: input.category,
        cancellationJustification: input.justification,
        cancelledBy: actor.userId,
        cancelledAt: new Date(),
        transferredToForceId: toForceId,
      };
      const changes = diff(before, patch, ['status', 'cancellationCategory', 'transferredToForceId']);
      return this.store.update(em, before, patch, actor, to, input.justification, changes);
    });
    return toView(crime);
  }
}
