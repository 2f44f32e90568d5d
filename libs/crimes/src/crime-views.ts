import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { DataSource } from 'typeorm';
import { ScopedDb, type ForceScope } from '#libs/persistence';
import { crimeViewJson } from './crime-store.js';

// What a process keeps, in characters of JSON text (about 1,000 a record): some 16,000 records, the newest pages of
// every force a process serves for a while. Strings are leaves for the garbage collector, so keeping them costs
// the old generation's collections little (bench/README.md, "Twelfth session").
export const CRIME_VIEWS_CHARS = 16 * 1024 * 1024;

// A record of a page: its force, id and version, as the list's page statement reads them.
export interface PageKey {
  force_id: string;
  id: string;
  version: number;
}

// The JSON text of records' views (crimeViewJson, toView's JSON) by id and version, for the API's list (issue
// #21): a page's statement reads only each record's keys, and the views come from here, read from the database
// only for the records not yet kept. Writing each record's JSON was most of a list's cost in PostgreSQL (about
// 1 ms of 1.6: bench/README.md, "Eleventh session"), and a record is listed far more often than it changes.
// Sound because a version holds one content (RecentCrimes says why), and a view is a function of the record
// alone: the same for every reader. Only records that the page's statement returned under the reader's scope are
// looked up, so a kept view is never shown to a reader who could not read the record.
@Injectable()
export class CrimeViews {
  private readonly kept = new LRUCache<string, string>({
    maxSize: CRIME_VIEWS_CHARS,
    sizeCalculation: (view, key) => view.length + key.length,
  });

  constructor(
    private readonly db: ScopedDb,
    private readonly ds: DataSource,
  ) {}

  // The views of these records, in their order, at exactly these versions; undefined when a record was changed or
  // removed after the page was read (the caller then reads the page with its views, as one statement).
  async of(scope: ForceScope, page: readonly PageKey[]): Promise<string[] | undefined> {
    const views: string[] = new Array<string>(page.length);
    const missing: number[] = [];
    page.forEach((r, i) => {
      const view = this.kept.get(`${r.id}:${r.version}`);
      if (view === undefined) missing.push(i);
      else views[i] = view;
    });
    if (missing.length === 0) return views;
    const read = await this.db.runStatement<{ id: string; version: number; view: string }>(
      scope,
      `SELECT c.id, c.version, ${crimeViewJson(this.ds)} AS view FROM crimes c
        WHERE (c.force_id, c.id) IN (SELECT * FROM unnest($1::text[], $2::uuid[]))`,
      [missing.map((i) => page[i]!.force_id), missing.map((i) => page[i]!.id)],
      { prepare: true, replan: true }, // by key in a table that grows (ScopedStatementText)
    );
    const byId = new Map<string, { version: number; view: string }>();
    for (const r of read) {
      byId.set(r.id, r);
      this.kept.set(`${r.id}:${r.version}`, r.view); // committed: whatever the page saw, this version is this
    }
    for (const i of missing) {
      const r = byId.get(page[i]!.id);
      if (r?.version !== page[i]!.version) return undefined;
      views[i] = r.view;
    }
    return views;
  }

  forget(): void {
    this.kept.clear();
  }
}
