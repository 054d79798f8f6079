import fc from 'fast-check';
import type { AttributeDefinition } from '../../src/scim/schema/attribute-definition.js';
import { SchemaRegistry, type ResourceTypeName } from '../../src/scim/schema/schema-registry.js';

/**
 * fast-check generators for SCIM inputs, derived from the schema registry that
 * validates requests, so every attribute, sub-attribute and URN-qualified path the
 * server publishes is exercised; each comes in a valid-ish and a hostile form.
 */
export const registry = new SchemaRegistry();

export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const SEARCH_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';

/** Classic SQL and JSON-path injection payloads for both dialects (RFC 7644 §7.7: injection countermeasures). */
export const INJECTION_PAYLOADS: readonly string[] = [
  "' OR 1=1 --",
  "' OR '1'='1",
  '" OR 1=1 --',
  '"; DROP TABLE users; --',
  "'; DROP TABLE users; --",
  "') UNION SELECT id, secret_hash FROM api_tokens --",
  "x') OR ('a'='a",
  '1; SELECT pg_sleep(5)',
  "'||(SELECT secret_hash FROM api_tokens LIMIT 1)||'",
  '$1',
  '$2::text',
  '@p1',
  ':name',
  '?',
  '\\',
  '\\\\',
  "\\'",
  '%',
  '%%',
  '_',
  '%_%',
  "$.x') or 1=1 --",
  '$.userName',
  '$[*] ? (@ like_regex ".*")',
  '\u0000',
  "a\u0000' OR 1=1 --",
  '*/ OR /*',
  '${x}',
  '{{7*7}}',
  "' ; VACUUM; --",
  'NULL',
  "E'\\x00'",
  "'); ATTACH DATABASE '/tmp/x' AS x; --",
];

const randomCase = (text: string): fc.Arbitrary<string> =>
  fc
    .array(fc.boolean(), { minLength: text.length, maxLength: text.length })
    .map((flags) => [...text].map((ch, i) => (flags[i] ? ch.toUpperCase() : ch.toLowerCase())).join(''));

/** Strings an IdP might send. */
export const plainString = fc.oneof(
  fc.stringMatching(/^[a-z][a-z0-9._-]{0,20}$/),
  fc.string({ maxLength: 30 }),
  fc.emailAddress(),
);

const REPEATED = ['x', 'é', '\ud83d\ude00', 'ﬃ', 'ß'];

/** Long but within any key bound: up to 200 code points (at most ~800 bytes of UTF-8, ~3.6 KB folded). */
export const longString = fc
  .tuple(fc.constantFrom(...REPEATED), fc.integer({ min: 50, max: 200 }))
  .map(([ch, n]) => ch.repeat(n));

/** Huge: 1,000 to 100,000 code points, past any index key bound. */
export const hugeString = fc
  .tuple(fc.constantFrom(...REPEATED), fc.integer({ min: 1_000, max: 100_000 }))
  .map(([ch, n]) => ch.repeat(n));

/** Hostile strings: non-ASCII, astral, NUL and control characters, invisible code points, payloads, long. */
export const hostileString = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(...INJECTION_PAYLOADS),
  fc.constantFrom(
    '\u200b',
    'ali\u200bce',
    '\ufeffalice',
    'alice ',
    '\talice',
    'bob\r\nX-Injected: 1',
    '\ud83d\ude00',
    '\ud800',
    'ǅ',
    'ß',
    'İ',
    'ﬃ',
    '\u2028',
  ),
  longString,
);

export const anyString = fc.oneof({ weight: 3, arbitrary: plainString }, { weight: 2, arbitrary: hostileString });

/** A JSON value of any shape, small. */
export const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: anyString },
);

/** Attribute paths of a resource type from the registry: plain, sub-attribute and URN-qualified, in any case. */
export function attributePaths(type: ResourceTypeName): string[] {
  const paths: string[] = [];
  const base = registry.getResourceType(type).schema;
  const add = (uri: string, a: AttributeDefinition): void => {
    const prefix = uri === '' || uri === base ? '' : `${uri}:`;
    paths.push(`${prefix}${a.name}`);
    if (uri === base) paths.push(`${uri}:${a.name}`);
    for (const sub of a.subAttributes ?? []) paths.push(`${prefix}${a.name}.${sub.name}`);
  };
  for (const a of registry.commonAttributeDefinitions()) add('', a);
  for (const uri of registry.schemaUrisOf(type)) {
    for (const a of registry.getSchema(uri)?.attributes ?? []) add(uri, a);
  }
  return paths;
}

export const attributePath = (type: ResourceTypeName): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...attributePaths(type)).chain(randomCase) },
    { weight: 1, arbitrary: anyString },
  );

function valueFor(a: AttributeDefinition, depth: number): fc.Arbitrary<unknown> {
  switch (a.type) {
    case 'boolean':
      return fc.oneof(fc.boolean(), fc.constantFrom('True', 'false', 'yes'));
    case 'integer':
    case 'decimal':
      return fc.oneof(fc.integer(), fc.double({ noNaN: true }), fc.constant('12'));
    case 'dateTime':
      return fc.oneof(
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        anyString,
      );
    case 'complex':
      if (depth > 1) return fc.constant({});
      return fc.record(Object.fromEntries((a.subAttributes ?? []).map((s) => [s.name, valueFor(s, depth + 1)])), {
        requiredKeys: [],
      });
    default:
      return a.canonicalValues ? fc.oneof(fc.constantFrom(...a.canonicalValues), anyString) : anyString;
  }
}

/** A value for an attribute, multi-valued ones as short arrays (or, hostile, a non-array). */
export function attributeValue(a: AttributeDefinition): fc.Arbitrary<unknown> {
  const one = valueFor(a, 0);
  if (!a.multiValued) return fc.oneof({ weight: 5, arbitrary: one }, { weight: 1, arbitrary: anyJson });
  return fc.oneof({ weight: 5, arbitrary: fc.array(one, { maxLength: 4 }) }, { weight: 1, arbitrary: anyJson });
}

function resourceBody(
  type: ResourceTypeName,
  required: Record<string, fc.Arbitrary<unknown>>,
): fc.Arbitrary<Record<string, unknown>> {
  const attrs = registry
    .schemaUrisOf(type)
    .flatMap((uri) => (registry.getSchema(uri)?.attributes ?? []).map((a) => ({ uri, a })));
  const base = registry.getResourceType(type).schema;
  const optional = fc.subarray(attrs, { maxLength: Math.min(6, attrs.length) }).chain((picked) =>
    fc.tuple(...picked.map(({ a }) => attributeValue(a))).map((values) => {
      const out: Record<string, unknown> = {};
      picked.forEach(({ uri, a }, i) => {
        if (uri === base) out[a.name] = values[i];
        else out[uri] = { ...(out[uri] ?? {}), [a.name]: values[i] };
      });
      return out;
    }),
  );
  const schemas = fc.oneof(
    { weight: 6, arbitrary: fc.constant(registry.schemaUrisOf(type)) },
    { weight: 1, arbitrary: fc.array(anyString, { maxLength: 3 }) },
    { weight: 1, arbitrary: anyJson },
  );
  return fc.tuple(schemas, fc.record(required), optional).map(([s, r, o]) => ({ ...o, schemas: s, ...r }));
}

export const userName = fc.oneof(
  { weight: 4, arbitrary: fc.uuid().map((u) => `fuzz-${u}`) },
  { weight: 1, arbitrary: anyString },
);

export const userBody = resourceBody('User', { userName });
export const groupBody = (memberIds: fc.Arbitrary<string>): fc.Arbitrary<Record<string, unknown>> =>
  resourceBody('Group', {
    displayName: userName,
    members: fc.array(fc.record({ value: memberIds }, { requiredKeys: ['value'] }), { maxLength: 3 }),
  });

const COMPARE_OPS = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'];

const filterValue = fc.oneof(
  anyString.map((s) => JSON.stringify(s)),
  fc.constantFrom('true', 'false', 'null', '12', '"2026-01-01T00:00:00Z"', 'abc'),
);

/** Filters over a type's paths: comparisons, presence, and/or/not, value paths; depth bounded. */
export function filterText(type: ResourceTypeName): fc.Arbitrary<string> {
  const path = attributePath(type);
  const { tree } = fc.letrec<{ tree: string; leaf: string }>((tie) => ({
    leaf: fc.oneof(
      fc
        .tuple(path, fc.constantFrom(...COMPARE_OPS).chain(randomCase), filterValue)
        .map(([p, op, v]) => `${p} ${op} ${v}`),
      path.map((p) => `${p} pr`),
      fc.tuple(path, tie('leaf')).map(([p, inner]) => `${p}[${inner}]`),
    ),
    tree: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      tie('leaf'),
      fc
        .tuple(tie('tree'), fc.constantFrom('and', 'or', 'AND', 'Or'), tie('tree'))
        .map(([a, op, b]) => `${a} ${op} ${b}`),
      tie('tree').map((t) => `not (${t})`),
      tie('tree').map((t) => `(${t})`),
    ),
  }));
  return fc.oneof({ weight: 5, arbitrary: tree }, { weight: 1, arbitrary: anyString });
}

/** A PATCH operation of a type: op in any case, a path from the registry (or a value path), a value. */
export function patchOperation(
  type: ResourceTypeName,
  memberIds: fc.Arbitrary<string>,
): fc.Arbitrary<Record<string, unknown>> {
  const attrs = registry.schemaUrisOf(type).flatMap((uri) => registry.getSchema(uri)?.attributes ?? []);
  const pathAndValue = fc.oneof(
    fc.constantFrom(...attrs).chain((a) => fc.tuple(fc.constant(a.name).chain(randomCase), attributeValue(a))),
    fc.tuple(
      filterText(type).map((f) => `emails[${f}].value`),
      anyString,
    ),
    fc.tuple(attributePath(type), anyJson),
    type === 'Group'
      ? fc.tuple(fc.constant('members'), fc.array(fc.record({ value: memberIds }), { maxLength: 3 }))
      : fc.tuple(fc.constant('active'), fc.boolean()),
  );
  return fc
    .tuple(
      fc.constantFrom('add', 'replace', 'remove', 'Add', 'Replace', 'REMOVE', 'move'),
      fc.option(pathAndValue, { nil: undefined }),
      fc.boolean(),
    )
    .map(([op, pv, withPath]) => {
      if (!pv) return { op, value: {} };
      const [path, value] = pv;
      return withPath ? { op, path, value } : { op, value: { [path]: value } };
    });
}

export function patchBody(type: ResourceTypeName, memberIds: fc.Arbitrary<string>): fc.Arbitrary<unknown> {
  return fc.oneof(
    {
      weight: 8,
      arbitrary: fc.record({
        schemas: fc.constant([PATCH_OP]),
        Operations: fc.array(patchOperation(type, memberIds), { minLength: 1, maxLength: 4 }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record(
        { schemas: fc.array(anyString, { maxLength: 2 }), Operations: anyJson },
        { requiredKeys: [] },
      ),
    },
  );
}

/** Nesting as text, so neither the generator nor JSON.stringify recurses. */
export function nestedJson(depth: number, kind: 'object' | 'array'): string {
  return kind === 'object'
    ? `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`
    : `${'['.repeat(depth)}1${']'.repeat(depth)}`;
}

export const deepNesting = fc
  .tuple(fc.integer({ min: 100, max: 10_000 }), fc.constantFrom<'object' | 'array'>('object', 'array'))
  .map(([depth, kind]) => nestedJson(depth, kind));
