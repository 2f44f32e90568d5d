import { Injectable } from '@nestjs/common';
import { QueryFailedError, type EntityManager } from 'typeorm';
import type { RequestContext } from '#libs/auth';
import { DomainError, ScopedDb } from '#libs/persistence';
import type { Crime } from './crime.entity.js';
import { toView } from './crime.mapper.js';
import { CrimeAmendmentService } from './crime-amendment.service.js';
import { CrimeRecordingService } from './crime-recording.service.js';
import type { CrimeView, RecordedFacts } from './crime.types.js';

export type BulkMode = 'all_or_nothing' | 'per_item';

export interface BulkItemInput {
  id: string;
  version: number;
  changes?: Partial<RecordedFacts>; // amend these facts first (needs a reason)
  reason?: string;
  confirm?: boolean; // then confirm the draft
  acknowledge?: string[];
}

export interface BulkItemResult {
  id: string;
  // done: saved; failed: this item was refused; rolled_back: it would have saved, but another item failed
  // in an all-or-nothing request
  outcome: 'done' | 'failed' | 'rolled_back';
  crime?: CrimeView;
  error?: { code: string; message: string; details?: unknown };
}

export interface BulkResult {
  mode: BulkMode;
  done: number;
  failed: number;
  results: BulkItemResult[];
}

export const BULK_MAX_ITEMS = 500;

// Resolving many drafts at once (issue 13 §4): each item goes through the ordinary amendment and confirmation,
// with its own rules, history and access-log entry, inside one transaction; a savepoint per item lets a refused
// item roll back alone. all_or_nothing then rolls everything back if any item was refused, reporting them all.
@Injectable()
export class CrimeBulkService {
  constructor(
    private readonly db: ScopedDb,
    private readonly amendment: CrimeAmendmentService,
    private readonly recording: CrimeRecordingService,
  ) {}

  async resolve(ctx: RequestContext, mode: BulkMode, items: BulkItemInput[]): Promise<BulkResult> {
    if (items.length === 0 || items.length > BULK_MAX_ITEMS) {
      throw new DomainError('INVALID_INPUT', `send from 1 to ${BULK_MAX_ITEMS} items`);
    }
    const ids = items.map((i) => i.id);
    const repeated = ids.filter((id, k) => ids.indexOf(id) !== k);
    if (repeated.length > 0)
      throw new DomainError(
        'INVALID_INPUT',
        `each record once per request; repeated: ${[...new Set(repeated)].join(', ')}`,
      );
    for (const item of items) {
      const amends = item.changes !== undefined && Object.keys(item.changes).length > 0;
      if (!amends && item.confirm !== true)
        throw new DomainError('INVALID_INPUT', `item ${item.id}: give changes, confirm, or both`);
      if (amends && !item.reason?.trim())
        throw new DomainError('INVALID_INPUT', `item ${item.id}: an amendment needs a reason`);
    }
    let rejected: BulkResult | undefined;
    const result = await this.db
      .run(ctx.actor.forces, async (em) => {
        const results: BulkItemResult[] = [];
        for (const item of items) results.push(await this.one(em, ctx, item));
        const failed = results.filter((r) => r.outcome === 'failed').length;
        const out: BulkResult = { mode, done: results.length - failed, failed, results };
        if (mode === 'all_or_nothing' && failed > 0) {
          rejected = {
            mode,
            done: 0,
            failed,
            results: results.map((r) =>
              r.outcome === 'done' ? { id: r.id, outcome: 'rolled_back' } : r,
            ),
          };
          throw new BulkRejected(); // rolls the transaction back
        }
        return out;
      })
      .catch((e: unknown) => {
        if (!(e instanceof BulkRejected) || !rejected) throw e;
        const first = rejected.results.find((r) => r.outcome === 'failed')?.error;
        throw new DomainError(
          (first?.code as ConstructorParameters<typeof DomainError>[0] | undefined) ??
            'INVALID_INPUT',
          `${rejected.failed} of ${items.length} items were refused; nothing was saved (all_or_nothing)`,
          rejected,
        );
      });
    return result;
  }

  private async one(
    em: EntityManager,
    ctx: RequestContext,
    item: BulkItemInput,
  ): Promise<BulkItemResult> {
    await em.query('SAVEPOINT bulk_item');
    try {
      let crime: Crime | undefined;
      let version = item.version;
      if (item.changes !== undefined && Object.keys(item.changes).length > 0) {
        crime = await this.amendment.amendIn(em, ctx, item.id, {
          version,
          reason: item.reason ?? '',
          changes: item.changes,
          acknowledge: item.acknowledge ?? [],
        });
        version = crime.version;
      }
      if (item.confirm === true) {
        crime = await this.recording.confirmIn(em, ctx, item.id, {
          version,
          acknowledge: item.acknowledge ?? [],
        });
      }
      await em.query('RELEASE SAVEPOINT bulk_item');
      return { id: item.id, outcome: 'done', crime: crime && toView(crime) };
    } catch (e) {
      await em.query('ROLLBACK TO SAVEPOINT bulk_item');
      if (e instanceof DomainError)
        return {
          id: item.id,
          outcome: 'failed',
          error: { code: e.code, message: e.message, details: e.details },
        };
      if (e instanceof QueryFailedError) {
        const pg = e.driverError as { code?: string };
        if (pg.code?.startsWith('23') || pg.code?.startsWith('22')) {
          return {
            id: item.id,
            outcome: 'failed',
            error: { code: 'INVALID_INPUT', message: 'the database refused the change' },
          };
        }
      }
      throw e;
    }
  }
}

class BulkRejected extends Error {}
