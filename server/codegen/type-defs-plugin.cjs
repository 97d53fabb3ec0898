// graphql-codegen plugin: emits the schema SDL as a TypeScript string so the
// server carries its own copy of schema/schema.graphql inside dist/.
'use strict';
const { printSchema } = require('graphql');

module.exports = {
  plugin(schema) {
    return [
      '/** The Hookline GraphQL schema (schema/schema.graphql), as served. */',
      `export const typeDefs = ${JSON.stringify(printSchema(schema) + '\n')};`,
      '',
    ].join('\n');
  },
};
