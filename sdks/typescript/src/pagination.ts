/** A Relay connection page as the list operations return it. */
export interface Connection<TNode> {
  edges: ReadonlyArray<{ cursor: string; node: TNode }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/**
 * Walks every page of a cursor-paginated list, yielding nodes lazily: the next
 * page is fetched only when the current one is used up.
 */
export async function* paginate<TNode>(
  fetchPage: (after: string | undefined) => Promise<Connection<TNode>>,
  startAfter?: string,
): AsyncGenerator<TNode, void, undefined> {
  let after = startAfter;
  for (;;) {
    const page = await fetchPage(after);
    for (const edge of page.edges) yield edge.node;
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor || page.pageInfo.endCursor === after) return;
    after = page.pageInfo.endCursor;
  }
}
