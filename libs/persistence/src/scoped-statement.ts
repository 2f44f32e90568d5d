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

interface Wire {
  parse(o: { text: string; name: string; types: unknown[] }): void;
  bind(o: { portal: string; statement: string; values: unknown[]; binary: boolean }): void;
  execute(o: { portal: string; rows: number }): void;
}
interface QueryInternals {
  prepare(connection: Wire): void;
  handleDataRow(msg: unknown): void;
  handleCommandComplete(msg: unknown, connection: Wire): void;
}
type QueryCallback = (err: Error | null, result: pg.QueryResult) => void;
const PgQuery = pg.Query as unknown as new (
  config: { text: string; queryMode: 'extended' },
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
  ) {
    // 'extended' even without values: the simple protocol would commit between the two statements.
    super({ text, queryMode: 'extended' }, values, callback);
  }

  override prepare(connection: Wire): void {
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

// Runs it on a connection that is not inside a transaction (a fresh pool client).
export function queryScoped<T>(
  client: pg.ClientBase,
  setting: string,
  text: string,
  values: unknown[],
): Promise<T[]> {
  return new Promise((resolve, reject) => {
    void client.query(
      new ScopedStatement(setting, text, values, (err, result) =>
        err ? reject(err) : resolve(result.rows as T[]),
      ),
    );
  });
}
