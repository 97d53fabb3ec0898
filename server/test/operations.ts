/**
 * The documents of schema/operations/*.graphql, loaded as the SDKs send them,
 * so the tests exercise exactly the shared operations.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse, print, visit, type DefinitionNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';

const dir = fileURLToPath(new URL('../../schema/operations/', import.meta.url));
const definitions: DefinitionNode[] = readdirSync(dir)
  .filter((f) => f.endsWith('.graphql'))
  .flatMap((f) => parse(readFileSync(dir + f, 'utf8')).definitions);
const fragments = new Map(
  definitions.filter((d): d is FragmentDefinitionNode => d.kind === 'FragmentDefinition').map((d) => [d.name.value, d]),
);

function withFragments(op: OperationDefinitionNode): string {
  const needed = new Map<string, FragmentDefinitionNode>();
  const collect = (node: DefinitionNode) =>
    visit(node, {
      FragmentSpread(spread) {
        const fragment = fragments.get(spread.name.value);
        if (fragment && !needed.has(fragment.name.value)) {
          needed.set(fragment.name.value, fragment);
          collect(fragment);
        }
      },
    });
  collect(op);
  return [op, ...needed.values()].map((d) => print(d)).join('\n\n');
}

/** Operation name → document text with its fragments. */
export const operations: Record<string, string> = Object.fromEntries(
  definitions
    .filter((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition' && !!d.name)
    .map((d) => [d.name!.value, withFragments(d)]),
);

export function op(name: string): string {
  const text = operations[name];
  if (!text) throw new Error(`no operation ${name} in schema/operations`);
  return text;
}
