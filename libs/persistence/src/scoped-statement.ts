import { createHash } from 'node:crypto';
import pg from 'pg';

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
  bind(o: { portal: string; statement: string; values: unknown[]; binary: boolean }): void;
  execute(o: { portal: string; rows: number }): void;
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
  ) {
    // 'extended' even without values: the simple protocol would commit between the two statements.
    super({ text, name, queryMode: 'extended' }, values, callback);
  }

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
    super.prepare(connection); // the statement's Parse, Bind, Describe, Execute, then Sync
  }

  override handleDataRow(msg: unknown): void {
    if (this.scopeDone) super.handleDataRow(msg);
  }

  override handleCommandComplete(msg: unknown, connection: Wire): void {
    if (!this.scopeDone) this.scopeDone = true;
    else super.handleCommandComplete(msg, connection);
  }
}

// Runs it on a connection that is not inside a transaction (a fresh pool client); prepared if asked and allowed.
export function queryScoped<T>(
  client: pg.ClientBase,
  setting: string,
  text: string,
  values: unknown[],
  prepare = false,
): Promise<T[]> {
  const name = prepare ? preparedName(client, text, values) : undefined;
  return new Promise((resolve, reject) => {
    void client.query(
      new ScopedStatement(
        setting,
        text,
        values,
        (err, result) => (err ? reject(err) : resolve(result.rows as T[])),
        name,
      ),
    );
  });
}

function preparedName(client: pg.ClientBase, text: string, values: unknown[]): string | undefined {
  if (values.length > MAX_PREPARED_PARAMS) return undefined;
  const parsed = (client as unknown as { connection: Wire }).connection.parsedStatements;
  const name = `cf_${createHash('sha1').update(text).digest('base64url')}`;
  if (parsed[name] !== undefined) return name;
  return Object.keys(parsed).length < MAX_PREPARED_PER_CONNECTION ? name : undefined;
}
