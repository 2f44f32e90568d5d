import { Injectable } from '@nestjs/common';
import { AccessLogService } from '#libs/access-log';
import { hasRole, type RequestContext } from '#libs/auth';
import { CrimeAmendmentService, type CrimeView, type RecordedFacts } from '#libs/crimes';
import { DomainError, ScopedDb } from '#libs/persistence';
import { accessEntry, auditContext, scopeList } from '../audit-context.js';
import { findReviewItem, updateReviewItem } from './review-items.query.js';
import { toReviewItemView, type ReviewItemView } from './review-item.view.js';

export interface CorrectionInput {
  version: number; // the crime's version the corrector read
  reason: string;
  changes: Partial<RecordedFacts>;
  acknowledge: string[];
}

// Who corrects (issue 7 §3, documented choice): auditors are read-only over records, so they only mark
// items. A correction is made by the force's registrar or force crime registrar, through this path, which
// uses the ordinary amendment (rules re-run, history keeps old -> new, who and why, alteration logged).
// The controller admits only those roles; the check here keeps the rule if the service is reused.
//
// Two transactions: CrimeAmendmentService commits the amendment in its own, then the item is marked
// corrected. If the second step fails, the record is amended (history shows it) and the item stays open;
// retrying with the record's new version and the same changes amends nothing more (no difference, no new
// version) and marks the item, so a retry is safe.
@Injectable()
export class ReviewCorrectionService {
  constructor(
    private readonly db: ScopedDb,
    private readonly amendment: CrimeAmendmentService,
    private readonly log: AccessLogService,
  ) {}

  async correct(
    ctx: RequestContext,
    id: string,
    input: CorrectionInput,
  ): Promise<{ item: ReviewItemView; crime: CrimeView }> {
    if (!hasRole(ctx.actor, 'registrar', 'force_crime_registrar')) {
      throw new DomainError(
        'FORBIDDEN_SCOPE',
        "corrections are made by the force's registrars; auditors mark items",
      );
    }
    if (Object.keys(input.changes).length === 0)
      throw new DomainError('INVALID_INPUT', 'changes must name at least one field');
    const scope = scopeList(ctx.actor.forces);
    const item = await this.db.run(ctx.actor.forces, (em) => findReviewItem(em, id, scope));
    if (!item) throw new DomainError('NOT_FOUND', `review item ${id} not found`);
    assertCorrectable(item.status);

    const actx = auditContext(ctx);
    const crime = await this.amendment.amend(actx, item.crime_id, {
      version: input.version,
      reason: `${input.reason} (review item ${id})`,
      changes: input.changes,
      acknowledge: input.acknowledge,
    });

    const view = await this.db.run(ctx.actor.forces, async (em) => {
      const locked = await findReviewItem(em, id, scope, true);
      if (!locked) throw new DomainError('NOT_FOUND', `review item ${id} not found`);
      assertCorrectable(locked.status);
      await updateReviewItem(
        em,
        { forceId: locked.force_id, id, version: locked.version },
        {
          status: 'corrected',
          note: input.reason,
          by: ctx.actor.userId,
          correctedVersion: crime.version,
        },
      );
      const after = await findReviewItem(em, id, scope);
      if (!after) throw new Error(`review item ${id} vanished inside its transaction`);
      await this.log.record(
        em,
        accessEntry(actx, 'consultation', [after.force_id], {
          recordIds: [after.crime_id],
          recordCount: 1,
        }),
      );
      return toReviewItemView(after);
    });
    return { item: view, crime };
  }
}

// A corrected item is final; an auditor's "confirmed correct" stands until an auditor reopens the item.
function assertCorrectable(status: string): void {
  if (status === 'corrected')
    throw new DomainError('INVALID_TRANSITION', 'this review item has already been corrected');
  if (status === 'confirmed_correct') {
    throw new DomainError(
      'INVALID_TRANSITION',
      'an auditor confirmed this record as correct: an auditor must reopen the item first',
    );
  }
}
