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

/** Items of one entity newer than its latest time, oldest first. */
export function newerThan<T>(items: Iterable<T>, at: (item: T) => Date, latest: Date | null): T[] {
  return [...items]
    .filter((item) => !latest || at(item) > latest)
    .sort((a, b) => at(a).getTime() - at(b).getTime());
}
