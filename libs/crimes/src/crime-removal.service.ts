import { Injectable } from '@nestjs/common';
import type { RequestContext } from '#libs/auth';
import { DomainError, ScopedDb } from '#libs/persistence';
import type { Crime } from './crime.entity.js';
import { toView } from './crime.mapper.js';
import { CrimeRuleChecker } from './crime-rule-checker.js';
import { CrimeStore, diff } from './crime-store.js';
import type { CrimeView, RemoveCrimeInput, TransferCrimeInput } from './crime.types.js';

// Cancelling or transferring a recorded crime (HOCR Section C): reason category, AVI text, decision maker.
@Injectable()
export class CrimeRemovalService {
  constructor(
    private readonly db: ScopedDb,
    private readonly store: CrimeStore,
    private readonly rules: CrimeRuleChecker,
  ) {}

  cancel(ctx: RequestContext, id: string, input: RemoveCrimeInput): Promise<CrimeView> {
    return this.remove(ctx, id, input, 'cancelled');
  }

  transfer(ctx: RequestContext, id: string, input: TransferCrimeInput): Promise<CrimeView> {
    return this.remove(ctx, id, { ...input, category: input.category ?? 'C1' }, 'transferred');
  }

  private async remove(
    ctx: RequestContext,
    id: string,
    input: RemoveCrimeInput,
    to: 'cancelled' | 'transferred',
  ): Promise<CrimeView> {
    // The view is built inside the transaction: if it could not be built, nothing is committed (issue #18).
    return this.db.run(ctx.actor.forces, async (em) => {
      const before = await this.store.lockForChange(em, ctx.actor, id, input.version);
      if (before.status !== 'confirmed') {
        throw new DomainError(
          'INVALID_TRANSITION',
          `only a confirmed record can be ${to}; this record is ${before.status}`,
        );
      }
      const toForceId = to === 'transferred' ? (input.toForceId ?? null) : null;
      const toAuthorityId = to === 'transferred' ? (input.toAuthorityId ?? null) : null;
      if (toForceId !== null && toForceId === before.forceId) {
        throw new DomainError('INVALID_INPUT', 'a record cannot be transferred to its own force');
      }
      this.rules.checkCancellation({
        kind: to === 'cancelled' ? 'cancel' : 'transfer',
        category: input.category,
        justification: input.justification,
        decisionMakerRoles: ctx.actor.roles,
        toForceId,
        toAuthorityId,
      });
      const patch: Partial<Crime> = {
        status: to,
        cancellationCategory: input.category,
        cancellationJustification: input.justification,
        cancelledBy: ctx.actor.userId,
        cancelledAt: new Date(),
        transferredToForceId: toForceId,
        transferredToAuthorityId: toAuthorityId,
      };
      const changes = diff(before, patch, [
        'status',
        'cancellationCategory',
        'transferredToForceId',
        'transferredToAuthorityId',
      ]);
      const after = await this.store.update(
        em,
        before,
        patch,
        ctx.actor,
        to,
        input.justification,
        changes,
        { ctx, action: 'alteration', alsoForces: toForceId ? [toForceId] : [] },
      );
      return toView(after);
    });
  }
}
