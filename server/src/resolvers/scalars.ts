import { GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { badInput } from '../errors.js';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function parseUuid(value: unknown): string {
  if (typeof value !== 'string' || !UUID_RE.test(value)) throw badInput('id', `expected a UUID, got ${JSON.stringify(value)?.slice(0, 60)}`);
  return value.toLowerCase();
}

/** `UUID`: canonical lowercase string. */
export const UUIDScalar = new GraphQLScalarType({
  name: 'UUID',
  serialize: (v) => String(v).toLowerCase(),
  parseValue: parseUuid,
  parseLiteral: (ast) => parseUuid(ast.kind === Kind.STRING ? ast.value : undefined),
});

function toIso(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  const date = new Date(String(value));
  if (Number.isNaN(date.getTime())) throw new TypeError('DateTime cannot represent an invalid date');
  return date.toISOString();
}

function parseDateTime(value: unknown): string {
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) throw badInput('dateTime', 'expected an RFC 3339 timestamp');
  return value;
}

/** `DateTime`: RFC 3339 in UTC with milliseconds. */
export const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  serialize: toIso,
  parseValue: parseDateTime,
  parseLiteral: (ast) => parseDateTime(ast.kind === Kind.STRING ? ast.value : undefined),
});

function literalToJson(ast: ValueNode, variables?: Record<string, unknown> | null): unknown {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.NULL:
      return null;
    case Kind.ENUM:
      return ast.value;
    case Kind.LIST:
      return ast.values.map((v) => literalToJson(v, variables));
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((f) => [f.name.value, literalToJson(f.value, variables)]));
    case Kind.VARIABLE:
      return variables?.[ast.name.value];
  }
}

/** `JSON`: any JSON value, passed through. */
export const JSONScalar = new GraphQLScalarType({
  name: 'JSON',
  serialize: (v) => v,
  parseValue: (v) => v,
  parseLiteral: literalToJson,
});
