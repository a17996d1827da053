/** Helpers shared by the batched stores: who owns a key, and what is new for an entity. */

interface Keyed {
  messageKey: string;
}

/** The items whose key the database just inserted; the first occurrence owns a repeated key. */
export function ownersOfInsertedKeys<T extends Keyed>(
  items: T[],
  insertedKeys: Set<string>,
): Map<string, T> {
  const owners = new Map<string, T>();
  for (const item of items) {
    if (insertedKeys.has(item.messageKey) && !owners.has(item.messageKey))
      owners.set(item.messageKey, item);
  }
  return owners;
}

/** Items grouped by a key, once per batch (not a filter per entity: batches hold hundreds of both). */
export function groupBy<T>(items: Iterable<T>, keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

/** Items of one entity newer than its latest time (epoch ms), oldest first. */
export function newerThan<T>(
  items: Iterable<T>,
  at: (item: T) => number,
  latest: number | null,
): T[] {
  return [...items]
    .filter((item) => latest === null || at(item) > latest)
    .sort((a, b) => at(a) - at(b));
}
