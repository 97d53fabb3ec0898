/**
 * src/generated/ must be what `npm run generate -w @hookline/server` produces
 * from schema/ right now; regenerate instead of editing.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { generate } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import config from '../codegen.js';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('generated code', () => {
  it('is up to date with schema/schema.graphql', async () => {
    const cwd = process.cwd();
    process.chdir(root);
    let files: Array<{ filename: string; content: string }>;
    try {
      files = await generate({ ...config, silent: true }, false);
    } finally {
      process.chdir(cwd);
    }
    expect(files.map((f) => f.filename).sort()).toEqual(['src/generated/resolvers-types.ts', 'src/generated/type-defs.ts']);
    for (const file of files) {
      const committed = await readFile(root + file.filename, 'utf8');
      expect(committed, `${file.filename} is stale: run npm run generate -w @hookline/server`).toBe(file.content);
    }
  });

  it('serves the contract: the SDL matches schema/schema.graphql', async () => {
    const { buildSchema, printSchema } = await import('graphql');
    const { typeDefs } = await import('../src/generated/type-defs.js');
    const contract = await readFile(root + '../schema/schema.graphql', 'utf8');
    expect(printSchema(buildSchema(typeDefs))).toBe(printSchema(buildSchema(contract)));
  });
});
