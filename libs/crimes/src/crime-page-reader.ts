import { Injectable } from '@nestjs/common';
import { ScopedDb, type ForceScope, StatementBatches } from '#libs/persistence';

type Row = Record<string, unknown>;

// A page of the list as a statement: its text, its values and whether it is prepared.
export interface PageStatement {
  sql: string;
  params: unknown[];
  prepare: boolean;
}

// Pages of the list read once for every request that asks for the same page while it is being read (issue #21):
// the registrars of a force browsing its newest records ask for the same page, and a page is PostgreSQL's costliest
// read (its JSON: about 1 ms of a list's 1.6 here, bench/README.md "Eleventh session"). The same rule as every
// batch (statement-batches.ts): a request that arrives while its page is being read waits for the next read of it,
// so it sees every change committed before it arrived, as if it had read alone. Only requests of the same scope
// (row-level security's forces) and the same statement and values share a read; each request is still logged on
// its own (CrimeQueryService.page appends its entry after the page).
@Injectable()
export class CrimePageReader {
  private readonly reads = new StatementBatches<PageStatement, Row[]>(async (scope, pages) => {
    const [page] = pages; // one statement: the batch's shape is its text and values
    const rows = await this.db.runStatement<Row>(scope, page!.sql, page!.params, {
      prepare: page!.prepare,
      replan: true, // a range of an index of a table that grows (ScopedStatementText)
    });
    return pages.map(() => rows);
  });

  constructor(private readonly db: ScopedDb) {}

  // The page's rows, shared with the requests it was read for: not to be changed.
  read<R>(scope: ForceScope, page: PageStatement): Promise<readonly R[]> {
    return this.reads.submit(
      scope,
      page,
      `${page.sql}\u0000${JSON.stringify(page.params)}`,
    ) as Promise<readonly R[]>;
  }
}
