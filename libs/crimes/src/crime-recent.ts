import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import type { Actor } from '#libs/auth';
import { canAccessForce } from '#libs/auth';
import type { Crime } from './crime.entity.js';

// How many records a process keeps. A registrar amends what was just recorded or amended; a few thousand records
// cover every registrar of a process for minutes, and keep the retained heap small (each kept record outlives a
// young-generation collection, and old-generation collections pause every request: bench/README.md).
export const RECENT_CRIMES = 2_048;

// The records this process wrote most recently, each as its statement returned it, by id (issue #21: an amendment
// of one of them at that version need not read it first; CrimeAmendmentService.amend). Sound because a version
// holds one content: every change of a record advances its version (the app's writes set the next one, and the
// database advances it for any other update that leaves it alone: migration 1780000027700), so a record kept at
// version v is the record at version v, wherever it is changed later. A kept record only ever goes stale (an older
// version), and a write at a stale version changes nothing.
@Injectable()
export class RecentCrimes {
  private readonly kept = new LRUCache<string, Crime>({ max: RECENT_CRIMES });

  remember(crime: Crime): void {
    const now = this.kept.get(crime.id);
    if (now === undefined || now.version < crime.version) this.kept.set(crime.id, crime);
  }

  // The record at exactly that version, if this process wrote it and the actor may see its force; otherwise
  // undefined (and the caller reads it).
  at(actor: Actor, id: string, version: number): Crime | undefined {
    const crime = this.kept.get(id);
    return crime?.version === version && canAccessForce(actor, crime.forceId) ? crime : undefined;
  }

  forget(): void {
    this.kept.clear();
  }
}
