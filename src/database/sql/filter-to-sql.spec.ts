import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import Database from 'better-sqlite3';

import { groupTargets } from '../../groups/groups.targets.js';
import { ScimException } from '../../scim/errors/scim.exception.js';
import { parseFilter } from '../../scim/filter/filter.parser.js';
import { validateFilter } from '../../scim/filter/validate-filter.js';
import { SchemaRegistry, type ResourceTypeName } from '../../scim/schema/schema-registry.js';
import { indexedMultiValuedAttributes } from '../../users/multi-values.js';
import { userTargets } from '../../users/users.targets.js';
import type { SqlParam } from '../sql-reader.js';
import { toDriverQuery } from '../sql-reader.js';
import { FilterToSql } from './filter-to-sql.js';
import type { TargetResolver } from './doc-targets.js';
import { dialectFor } from '../dialect/dialect.provider.js';
import type { DialectName } from '../dialect/sql-dialect.js';
import { DEFAULT_SCOPE } from '../scope/resource-scope.js';
import { memberElements, userGroupsTarget } from '../../membership/membership.sql.js';
import { escapeLike, ParamBinder } from './sql-fragment.js';

const registry = new SchemaRegistry();
const DIALECTS: readonly DialectName[] = ['sqlite', 'postgres'];

const indexed = new Set(indexedMultiValuedAttributes(registry).map((a) => a.name.toLowerCase()));

function targetsOf(name: DialectName, type: ResourceTypeName): TargetResolver {
  const dialect = dialectFor(name);
  return type === 'User'
    ? userTargets(dialect, DEFAULT_SCOPE, userGroupsTarget(DEFAULT_SCOPE), indexed)
    : groupTargets(dialect, memberElements(DEFAULT_SCOPE));
}

function toSql(
  filter: string,
  dialect: DialectName,
  type: ResourceTypeName = 'User',
): { sql: string; params: SqlParam[] } {
  const binder = new ParamBinder(dialectFor(dialect));
  const targets = targetsOf(dialect, type);
  const sql = new FilterToSql(targets, binder).translate(validateFilter(parseFilter(filter), registry, type));
  return { sql, params: binder.params };
}

/** Asserts that every "$" in the SQL starts a placeholder $1..$n for the bound params. */
function assertOnlyPlaceholders(sql: string, count: number): void {
  const dollars = [...sql.matchAll(/\$(\d*)/g)].map((m) => m[1]);
  for (const n of dollars) assert.ok(n !== '' && Number(n) >= 1 && Number(n) <= count, `bad placeholder in ${sql}`);
}

function assertInvalidFilter(fn: () => unknown, detail?: string): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof ScimException, `expected ScimException, got ${String(error)}`);
    assert.equal(error.scimType, 'invalidFilter');
    assert.equal(error.status, 400);
    if (detail !== undefined) assert.equal(error.detail, detail);
    return true;
  });
}

type Golden = [filter: string, sql: string, params: SqlParam[]];

/** Cases whose SQL and params do not depend on the dialect. */
const USER_GOLDEN: Golden[] = [
  ['userName eq "BJensen"', '(u.user_name_key IS NOT NULL AND u.user_name_key = $1)', ['bjensen']],
  ['USERNAME eq "Ｓtraße"', '(u.user_name_key IS NOT NULL AND u.user_name_key = $1)', ['strasse']],
  ['externalId eq "AbC"', '(u.external_id IS NOT NULL AND u.external_id = $1)', ['AbC']],
  ['id eq "A-1"', '(u.id IS NOT NULL AND u.id = $1)', ['A-1']],
  ['displayName gt "M"', '(u.display_name_key IS NOT NULL AND u.display_name_key > $1)', ['m']],
  [
    'userName co "A%b_C\\\\d"',
    "(u.user_name_key IS NOT NULL AND u.user_name_key LIKE $1 ESCAPE '\\')",
    ['%a\\%b\\_c\\\\d%'],
  ],
  ['userName sw "J"', "(u.user_name_key IS NOT NULL AND u.user_name_key LIKE $1 ESCAPE '\\')", ['j%']],
  [
    'userName ew "@Example.com"',
    "(u.user_name_key IS NOT NULL AND u.user_name_key LIKE $1 ESCAPE '\\')",
    ['%@example.com'],
  ],
  ['externalId ne "x"', '(u.external_id IS NULL OR u.external_id <> $1)', ['x']],
  ['userName eq null', '(NOT (u.user_name_key IS NOT NULL))', []],
  ['userName ne null', '(u.user_name_key IS NOT NULL)', []],
  ['userName pr', "(u.user_name_key IS NOT NULL AND u.user_name_key <> '')", []],
  ['externalId pr', "(u.external_id IS NOT NULL AND u.external_id <> '')", []],
  ['active pr', '(u.active IS NOT NULL)', []],
  ['meta.created pr', '(u.created IS NOT NULL)', []],
  ['not (userName eq "a")', '(NOT (u.user_name_key IS NOT NULL AND u.user_name_key = $1))', ['a']],
  [
    'userName eq "a" or externalId eq "b" and id eq "c"',
    '((u.user_name_key IS NOT NULL AND u.user_name_key = $1) OR ((u.external_id IS NOT NULL AND u.external_id = $2) AND (u.id IS NOT NULL AND u.id = $3)))',
    ['a', 'b', 'c'],
  ],
  [
    '(userName eq "a" or externalId eq "b") and not (id pr)',
    "(((u.user_name_key IS NOT NULL AND u.user_name_key = $1) OR (u.external_id IS NOT NULL AND u.external_id = $2)) AND (NOT (u.id IS NOT NULL AND u.id <> '')))",
    ['a', 'b'],
  ],
  [
    'meta.lastModified gt "2011-05-13T04:42:34+02:00"',
    '(u.last_modified IS NOT NULL AND u.last_modified > $1)',
    ['2011-05-13T02:42:34.000Z'],
  ],
  [
    'meta.created le "2011-05-13T04:42:34.5Z"',
    '(u.created IS NOT NULL AND u.created <= $1)',
    ['2011-05-13T04:42:34.500Z'],
  ],
];

describe('FilterToSql golden output for Users', () => {
  for (const dialect of DIALECTS) {
    for (const [filter, sql, params] of USER_GOLDEN) {
      it(`${dialect}: ${filter}`, () => {
        const out = toSql(filter, dialect);
        assert.deepEqual(out, { sql, params });
        assertOnlyPlaceholders(out.sql, out.params.length);
      });
    }
  }

  it('adds a case-exact instr() check to LIKE on exact columns on SQLite only', () => {
    assert.deepEqual(toSql('externalId co "A_%"', 'sqlite'), {
      sql: "(u.external_id IS NOT NULL AND u.external_id LIKE $1 ESCAPE '\\' AND instr(u.external_id, $2) > 0)",
      params: ['%A\\_\\%%', 'A_%'],
    });
    assert.deepEqual(toSql('externalId co "A_%"', 'postgres'), {
      sql: "(u.external_id IS NOT NULL AND u.external_id LIKE $1 ESCAPE '\\')",
      params: ['%A\\_\\%%'],
    });
  });

  const booleans: [string, SqlParam, SqlParam][] = [
    ['active eq true', 1, true],
    ['active eq "True"', 1, true],
    ['active eq false', 0, false],
  ];
  for (const [filter, sqlite, postgres] of booleans) {
    it(`binds booleans per dialect: ${filter}`, () => {
      const sql = '(u.active IS NOT NULL AND u.active = $1)';
      const forSqlite = toSql(filter, 'sqlite');
      assert.deepEqual(forSqlite, { sql, params: [postgres] });
      assert.deepEqual(toSql(filter, 'postgres'), { sql, params: [postgres] });
      // The one place values are converted for a driver: SQLite has no boolean type.
      assert.deepEqual(dialectFor('sqlite').toDriverQuery(sql, forSqlite.params), [
        '(u.active IS NOT NULL AND u.active = @p1)',
        [{ p1: sqlite }],
      ]);
      assert.deepEqual(dialectFor('postgres').toDriverQuery(sql, forSqlite.params), [sql, [postgres]]);
    });
  }

  it('ne on a boolean includes NULLs', () => {
    assert.deepEqual(toSql('active ne true', 'postgres'), {
      sql: '(u.active IS NULL OR u.active <> $1)',
      params: [true],
    });
  });

  it('normalises a dateTime with a 5-digit year without crashing', () => {
    assert.doesNotThrow(() => {
      try {
        toSql('meta.created gt "10000-01-01T00:00:00Z"', 'postgres');
      } catch (error) {
        if (!(error instanceof ScimException)) throw error;
      }
    });
  });

  it('normalises a dateTime without zone independently of the host time zone', () => {
    const saved = process.env['TZ'];
    const run = (tz: string) => {
      process.env['TZ'] = tz;
      return toSql('meta.created gt "2011-05-13T04:42:34"', 'postgres').params;
    };
    try {
      assert.deepEqual(run('America/New_York'), run('UTC'));
    } finally {
      if (saved === undefined) delete process.env['TZ'];
      else process.env['TZ'] = saved;
    }
  });

  const EMAILS =
    "u.id IN (SELECT mv.resource_id FROM multi_values mv WHERE mv.directory_id = 1 AND mv.attr = 'emails' AND ";
  const DEPT = "'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User', 'department'";
  const documentGolden: [string, DialectName, string, SqlParam[]][] = [
    [
      'title eq "Boss"',
      'sqlite',
      `(scim_fold(json_extract(u.doc, '$."title"')) IS NOT NULL AND scim_fold(json_extract(u.doc, '$."title"')) = scim_fold($1))`,
      ['Boss'],
    ],
    [
      'title eq "Boss"',
      'postgres',
      `(scim_fold(jsonb_extract_path_text(u.doc::jsonb, 'title')) IS NOT NULL AND scim_fold(jsonb_extract_path_text(u.doc::jsonb, 'title')) = scim_fold($1))`,
      ['Boss'],
    ],
    [
      'title pr',
      'sqlite',
      `(json_extract(u.doc, '$."title"') IS NOT NULL AND json_extract(u.doc, '$."title"') <> '')`,
      [],
    ],
    ['emails.value eq "A@X.com"', 'sqlite', `${EMAILS}(mv.value_key IS NOT NULL AND mv.value_key = $1))`, ['a@x.com']],
    [
      'emails co "@x"',
      'postgres',
      `${EMAILS}(mv.value_key IS NOT NULL AND mv.value_key LIKE $1 ESCAPE '\\'))`,
      ['%@x%'],
    ],
    [
      'emails[type eq "work" and value co "@x"]',
      'sqlite',
      `${EMAILS}((mv.type_key IS NOT NULL AND mv.type_key = $1) AND (mv.value_key IS NOT NULL AND mv.value_key LIKE $2 ESCAPE '\\')))`,
      ['work', '%@x%'],
    ],
    ['emails pr', 'sqlite', `${EMAILS}1 = 1)`, []],
    [
      `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "R&D"`,
      'postgres',
      `(scim_fold(jsonb_extract_path_text(u.doc::jsonb, ${DEPT})) IS NOT NULL AND scim_fold(jsonb_extract_path_text(u.doc::jsonb, ${DEPT})) = scim_fold($1))`,
      ['R&D'],
    ],
    ['meta.resourceType eq "User"', 'sqlite', `('User' IS NOT NULL AND 'User' = $1)`, ['User']],
  ];
  for (const [filter, dialect, sql, params] of documentGolden) {
    it(`${dialect}: ${filter} (document, index table)`, () =>
      assert.deepEqual(toSql(filter, dialect), { sql, params }));
  }

  it('rejects what has no SQL target with invalidFilter', () => {
    assertInvalidFilter(() => toSql('meta.location eq "x"', 'sqlite'), "Filtering on 'meta.location' is not supported");
  });

  it('never puts client text into the SQL string', () => {
    const evil = "x' OR 1=1 --";
    for (const dialect of DIALECTS) {
      for (const op of ['eq', 'ne', 'co', 'sw', 'ew', 'gt']) {
        for (const attr of ['userName', 'externalId']) {
          const { sql, params } = toSql(`${attr} ${op} ${JSON.stringify(evil)}`, dialect);
          assert.ok(!sql.includes('1=1') && !sql.includes('--') && !sql.includes("x'"), sql);
          assertOnlyPlaceholders(sql, params.length);
          assert.ok(
            params.some((p) => typeof p === 'string' && p.toLowerCase().includes("x' or 1=1 --")),
            JSON.stringify(params),
          );
        }
      }
    }
  });
});

describe('FilterToSql golden output for Groups', () => {
  const MEMBER =
    'g.id IN (SELECT gm.group_id FROM group_members gm WHERE gm.directory_id = 1 AND (gm.member_id IS NOT NULL AND gm.member_id = $1))';
  const golden: Golden[] = [
    ['displayName eq "Admins"', '(g.display_name_key IS NOT NULL AND g.display_name_key = $1)', ['admins']],
    ['externalId eq "X"', '(g.external_id IS NOT NULL AND g.external_id = $1)', ['X']],
    ['members.value eq "u-1"', MEMBER, ['u-1']],
    ['members eq "u-1"', MEMBER, ['u-1']],
    // RFC 7644 §3.4.2.2: a multi-valued attribute matches when any value does, also for "ne".
    [
      'members.value ne "u-1"',
      'g.id IN (SELECT gm.group_id FROM group_members gm WHERE gm.directory_id = 1 AND (gm.member_id IS NULL OR gm.member_id <> $1))',
      ['u-1'],
    ],
    [
      'members.value pr',
      "g.id IN (SELECT gm.group_id FROM group_members gm WHERE gm.directory_id = 1 AND (gm.member_id IS NOT NULL AND gm.member_id <> ''))",
      [],
    ],
  ];
  for (const dialect of DIALECTS) {
    for (const [filter, sql, params] of golden) {
      it(`${dialect}: ${filter}`, () => assert.deepEqual(toSql(filter, dialect, 'Group'), { sql, params }));
    }
  }

  it('rejects member attributes without an SQL target', () => {
    assertInvalidFilter(
      () => toSql('members.display eq "u"', 'sqlite', 'Group'),
      "Filtering on 'members.display' is not supported",
    );
  });

  it('never emits the $value template marker (members.value eq null)', () => {
    let out: { sql: string; params: SqlParam[] } | undefined;
    try {
      out = toSql('members.value eq null', 'postgres', 'Group');
    } catch (error) {
      assert.ok(error instanceof ScimException && error.scimType === 'invalidFilter', String(error));
    }
    if (out) assertOnlyPlaceholders(out.sql, out.params.length);
  });
});

describe('FilterToSql cost (FILTER_MAX_COST)', () => {
  const costOf = (filter: string, type: ResourceTypeName = 'User'): { cost: number; probesOnly: boolean } => {
    const translator = new FilterToSql(targetsOf('sqlite', type), new ParamBinder(dialectFor('sqlite')));
    translator.translate(validateFilter(parseFilter(filter), registry, type));
    return { cost: translator.cost, probesOnly: translator.probesOnly };
  };
  const cases: [string, ResourceTypeName, number, boolean][] = [
    ['userName eq "a"', 'User', 1, true],
    ['externalId eq "a" or displayName eq "b" or id eq "c"', 'User', 3, true],
    ['userName co "a"', 'User', 2, false],
    ['active eq true', 'User', 2, false],
    ['title eq "x"', 'User', 20, false],
    ['emails.value eq "a@x"', 'User', 1, true],
    ['emails[type eq "work" and value eq "a@x"]', 'User', 1, true],
    ['emails[type eq "work" or value eq "a@x"]', 'User', 20, false],
    ['emails[value co "@x" and type eq "work"]', 'User', 20, false],
    ['emails pr', 'User', 20, false],
    ['addresses[type eq "work"]', 'User', 20, false],
    ['groups.type eq "indirect"', 'User', 200, false],
    ['groups.type eq "indirect" or groups[display eq "x"] or groups pr', 'User', 300, false],
    ['members[value eq "u"]', 'Group', 1, true],
    ['members.type eq "User"', 'Group', 20, false],
    ['displayName eq "a" and not (externalId pr)', 'Group', 3, false],
  ];
  for (const [filter, type, cost, probesOnly] of cases) {
    it(`${type} ${filter} costs ${cost}`, () => assert.deepEqual(costOf(filter, type), { cost, probesOnly }));
  }
});

describe('ParamBinder and escapeLike', () => {
  it('numbers placeholders after an offset', () => {
    const binder = new ParamBinder(dialectFor('postgres'), 2);
    assert.equal(binder.bind('a'), '$3');
    assert.equal(binder.bind(false), '$4');
    assert.deepEqual(binder.params, [null, null, 'a', false]);
    assert.equal(new ParamBinder(dialectFor('sqlite')).bind(true), '$1');
  });

  it('escapes %, _ and backslash', () => {
    assert.equal(escapeLike('50%_off\\now'), '50\\%\\_off\\\\now');
    assert.equal(escapeLike('plain'), 'plain');
  });
});

describe('FilterToSql on SQLite (executed)', () => {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE users (id TEXT PRIMARY KEY, external_id TEXT, user_name_key TEXT, active INTEGER)');
  const rows: [string, string | null, string, number | null][] = [
    ['1', 'xa-1', 'alice', 1],
    ['2', 'XA-2', 'bob', 0],
    ['3', 'XAxa', 'carol', null],
    ['4', 'aXA', '50%_off', 1],
    ['5', null, 'dave', 1],
  ];
  const insert = db.prepare('INSERT INTO users VALUES (?, ?, ?, ?)');
  for (const row of rows) insert.run(...row);
  const ids = (filter: string): string[] => {
    const { sql, params } = toSql(filter, 'sqlite');
    const [text, bound] = toDriverQuery('sqlite', `SELECT id FROM users u WHERE ${sql} ORDER BY id`, params);
    return (db.prepare(text).all(...bound) as { id: string }[]).map((r) => r.id);
  };

  const cases: [string, string[]][] = [
    ['externalId sw "xa"', ['1']],
    ['externalId ew "xa"', ['3']],
    ['externalId ew "XA"', ['4']],
    ['externalId co "A-"', ['2']],
    ['externalId ne "xa-1"', ['2', '3', '4', '5']],
    ['not (externalId eq "xa-1")', ['2', '3', '4', '5']],
    ['userName co "%"', ['4']],
    ['userName sw "50%_"', ['4']],
    ['userName co "_"', ['4']],
    ['active eq true', ['1', '4', '5']],
    ['not (active eq true)', ['2', '3']],
    ['externalId pr', ['1', '2', '3', '4']],
  ];
  for (const [filter, expected] of cases) {
    it(`${filter} → ${JSON.stringify(expected)}`, () => assert.deepEqual(ids(filter), expected));
  }
});
