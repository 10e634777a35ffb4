// Comparing two separate dumps (ours and `ip -j`'s, or before and after): the kernel may list the
// same entries in another order the second time (a neighbour hash table walk, entries re-added in
// another order), so where order cannot matter the comparison is of what they hold. Rules of one
// priority match in list order: sort them only where that order is not what is being tested.

/** The items as their sorted JSON texts: equal for two listings of the same entries in any order. */
export function asSet(items: readonly unknown[]): string[] {
  return items.map((i) => JSON.stringify(i)).sort();
}

/** The items in the order of their JSON texts, as values again (for readable differences). */
export function sortedByJson<T>(items: readonly T[]): T[] {
  return asSet(items).map((s) => JSON.parse(s) as T);
}
