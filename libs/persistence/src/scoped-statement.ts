import { createHash } from 'node:crypto';
import pg from 'pg';
import pgUtils from 'pg/lib/utils.js';

// One statement in a transaction of its own, its row-level-security scope set first, in ONE round trip (issue #21).
// Extended-protocol messages up to a Sync run as one implicit transaction, committed at the Sync or rolled back
// by an error: so Parse/Bind/Execute of set_config(…, true), then Parse/Bind/Describe/Execute of the statement,
// then Sync, written at once, is BEGIN; SELECT set_config(…); <statement>; COMMIT in one write and one wake-up
// on each side instead of three. The scope is local to that transaction, as ScopedDb's. For work that must read
// before it decides what to write, ScopedDb.run's interactive transaction remains.
//
// A pg Query whose prepare() puts the scope's messages before its own, and which ignores the scope statement's
// row and completion, so that its result is the statement's alone.
const SCOPE_SQL = `SELECT set_config('cyberflag.forces', $1, true)`;

// Prepared statements (issue #21). PostgreSQL plans an unnamed statement every time it runs; a named one is parsed
// once per connection and, after five runs, may keep a generic plan. Measured bare (bench), a create's statement
// costs 0.8 to 1 ms less prepared: most of it planning. Only statements whose best plan does not depend on their
// values ask for it (writes and reads by id: runStatement's `prepare`), and each kept plan holds server memory on
// its connection (about 40 kB per record of a create's statement), so: none with more than MAX_PREPARED_PARAMS
// values (a batch of more than about 10 creates), and at most MAX_PREPARED_PER_CONNECTION per connection, after
// which statements run unnamed as before. A name is the hash of the text, so the same text is the same statement.
export const MAX_PREPARED_PARAMS = 400;
export const MAX_PREPARED_PER_CONNECTION = 64;

interface Wire {
  parsedStatements: Record<string, string>;
  submittedNamedStatements: Record<string, string>;
  parse(o: { text: string; name: string; types: unknown[] }): void;
  bind(o: {
    portal: string;
    statement: string;
    values: unknown[];
    binary: boolean;
    valueMapper?: (v: unknown) => unknown;
  }): void;
  describe(o: { type: 'P' | 'S'; name: string }): void;
  execute(o: { portal: string; rows: number }): void;
  close(o: { type: 'P' | 'S'; name: string }): void;
}

// A statement that goes in the same transaction before the last one (queryScopedMany).
export interface Piped {
  text: string;
  values: unknown[];
  name?: string;
}

interface QueryInternals {
  text: string;
  name?: string;
  types: unknown[];
  hasBeenParsed(connection: Wire): boolean;
  prepare(connection: Wire): void;
  handleDataRow(msg: unknown): void;
  handleCommandComplete(msg: unknown, connection: Wire): void;
}
type QueryCallback = (err: Error | null, result: pg.QueryResult) => void;
const PgQuery = pg.Query as unknown as new (
  config: { text: string; name?: string; queryMode: 'extended' },
  values: unknown[],
  callback: QueryCallback,
) => QueryInternals & pg.Submittable;

export class ScopedStatement extends PgQuery {
  private scopeDone = false;

  // setting: scopeSetting()'s text; values are prepared by pg as for any query.
  constructor(
    private readonly setting: string,
    text: string,
    values: unknown[],
    callback: QueryCallback,
    name?: string,
    private readonly piped: readonly Piped[] = [],
  ) {
    // 'extended' even without values: the simple protocol would commit between the two statements.
    super({ text, name, queryMode: 'extended' }, values, callback);
  }

  // The earlier statements this pipeline parses under a name: known to be prepared once it succeeds.
  private parsing: { wire: Wire; statements: Piped[] } | undefined;

  override prepare(connection: Wire): void {
    if (this.name && !this.hasBeenParsed(connection)) {
      // A named statement's Parse goes first: pg takes the query's first ParseComplete as its own, so after the
      // scope's it would count the statement as parsed even if its Parse then failed. super.prepare() skips it.
      connection.parse({ text: this.text, name: this.name, types: this.types });
      connection.submittedNamedStatements[this.name] = this.text;
    }
    connection.parse({ text: SCOPE_SQL, name: '', types: [] });
    connection.bind({ portal: '', statement: '', values: [this.setting], binary: false });
    connection.execute({ portal: '', rows: 0 });
    const parsing: Piped[] = [];
    for (const st of this.piped) {
      const name = st.name ?? '';
      if (name === '' || connection.parsedStatements[name] === undefined) {
        // Closed first: the Parse of a pipeline that then failed may or may not have run (closing none is no
        // error). pg's record of what is parsed is updated only when the whole pipeline has succeeded (remember).
        if (name !== '') connection.close({ type: 'S', name });
        connection.parse({ text: st.text, name, types: [] });
        if (name !== '') parsing.push(st);
      }
      connection.bind({
        portal: '',
        statement: name,
        values: st.values,
        binary: false,
        valueMapper: (v) => pgUtils.prepareValue(v),
      });
      connection.describe({ type: 'P', name: '' });
      connection.execute({ portal: '', rows: 0 });
    }
    this.parsing = { wire: connection, statements: parsing };
    super.prepare(connection); // the statement's Parse, Bind, Describe, Execute, then Sync
  }

  override handleDataRow(msg: unknown): void {
    if (this.scopeDone) super.handleDataRow(msg);
  }

  override handleCommandComplete(msg: unknown, connection: Wire): void {
    if (!this.scopeDone) this.scopeDone = true;
    else super.handleCommandComplete(msg, connection);
  }

  // The pipeline committed: its earlier statements' Parses ran.
  remember(): void {
    for (const st of this.parsing?.statements ?? [])
      this.parsing!.wire.parsedStatements[st.name!] = st.text;
  }
}

// Several statements in one transaction with the scope, in one round trip: the earlier ones and then the last,
// each one's rows in order. One commit for all of them (a cycle of creates and amendments, CrimeWriteBatcher).
export function queryScopedMany<T>(
  client: pg.ClientBase,
  setting: string,
  statements: readonly { text: string; values: unknown[] }[],
  prepare = false,
): Promise<T[][]> {
  const named = statements.map((st) => ({
    ...st,
    name: prepare ? preparedName(client, st.text, st.values, statements.length) : undefined,
  }));
  const last = named[named.length - 1]!;
  return new Promise((resolve, reject) => {
    const q: ScopedStatement = new ScopedStatement(
      setting,
      last.text,
      last.values,
      (err, result) => {
        if (err) return reject(err);
        q.remember();
        const results = (Array.isArray(result) ? result : [result]) as pg.QueryResult[];
        resolve(results.map((r) => r.rows as T[]));
      },
      last.name,
      named.slice(0, -1),
    );
    void client.query(q);
  });
}

// Runs it on a connection that is not inside a transaction (a fresh pool client); prepared if asked and allowed.
export async function queryScoped<T>(
  client: pg.ClientBase,
  setting: string,
  text: string,
  values: unknown[],
  prepare = false,
): Promise<T[]> {
  return (await queryScopedMany<T>(client, setting, [{ text, values }], prepare))[0]!;
}

function preparedName(
  client: pg.ClientBase,
  text: string,
  values: unknown[],
  reserve = 1,
): string | undefined {
  if (values.length > MAX_PREPARED_PARAMS) return undefined;
  const parsed = (client as unknown as { connection: Wire }).connection.parsedStatements;
  const name = `cf_${createHash('sha1').update(text).digest('base64url')}`;
  if (parsed[name] !== undefined) return name;
  return Object.keys(parsed).length + reserve <= MAX_PREPARED_PER_CONNECTION ? name : undefined;
}
