import Database from 'better-sqlite3';
/** Injection token of the SqlReader. */
export const SQL_READER = Symbol('SQL_READER');
class ObservedReader {
    observer;
    observe(observer) {
        this.observer = observer;
    }
}
const STATEMENT_CACHE_SIZE = 500;
/**
 * better-sqlite3 cannot bind "?1"-style numbered parameters by position, so $n
 * becomes the named parameter @pn bound from one object; booleans become 0/1.
 */
export function toDriverQuery(dialect, sql, params) {
    if (dialect === 'postgres')
        return [sql, [...params]];
    const named = {};
    params.forEach((value, i) => {
        named[`p${i + 1}`] = typeof value === 'boolean' ? (value ? 1 : 0) : value;
    });
    return [sql.replace(/\$(\d+)/g, '@p$1'), params.length > 0 ? [named] : []];
}
class SqliteReader extends ObservedReader {
    db;
    ownsConnection;
    statements = new Map();
    // A connection of its own, so reads see only committed data while a write
    // transaction on TypeORM's connection is between two of its statements (WAL).
    constructor(db, ownsConnection) {
        super();
        this.db = db;
        this.ownsConnection = ownsConnection;
    }
    async all(_name, sql, params) {
        this.observer?.(sql);
        const [text, bound] = toDriverQuery('sqlite', sql, params);
        let statement = this.statements.get(text);
        if (!statement) {
            if (this.statements.size >= STATEMENT_CACHE_SIZE)
                this.statements.clear();
            statement = this.db.prepare(text);
            this.statements.set(text, statement);
        }
        return statement.all(...bound);
    }
    async close() {
        if (this.ownsConnection)
            this.db.close();
    }
}
class PostgresReader extends ObservedReader {
    pool;
    constructor(pool) {
        super();
        this.pool = pool;
    }
    async all(name, sql, params) {
        this.observer?.(sql);
        // A named query is prepared once per pooled connection and then reused.
        const result = name
            ? await this.pool.query({ name, text: sql, values: [...params] })
            : await this.pool.query(sql, [...params]);
        return result.rows;
    }
    async close() {
        // The pool belongs to TypeORM's DataSource, which closes it.
    }
}
export function createSqlReader(dataSource, sqlitePath) {
    if (dataSource.options.type === 'postgres') {
        const driver = dataSource.driver;
        return new PostgresReader(driver.master);
    }
    if (!sqlitePath || sqlitePath === ':memory:') {
        // An in-memory database exists only on TypeORM's own connection.
        const driver = dataSource.driver;
        return new SqliteReader(driver.databaseConnection, false);
    }
    const db = new Database(sqlitePath, { readonly: true });
    db.pragma('busy_timeout = 5000');
    return new SqliteReader(db, true);
}
//# sourceMappingURL=sql-reader.js.map