// Which variant of a message to send: one the user has not seen recently. Content owns the
// choice; the store only remembers what was seen (store/variants.ts).

/**
 * Picks a variant not among the `recent` ones (oldest-seen first when all were seen), at random
 * among the candidates. Pure, so it is tested without Redis.
 */
export function chooseVariant<T extends { id: string }>(
  variants: readonly T[],
  recent: readonly string[],
  random = Math.random,
): T {
  if (variants.length === 0) throw new Error("no variants to choose from");
  const fresh = variants.filter((v) => !recent.includes(v.id));
  if (fresh.length > 0) return fresh[Math.floor(random() * fresh.length)]!;
  // Every variant was seen: take the one seen longest ago.
  const order = [...variants].sort((a, b) => recent.indexOf(b.id) - recent.indexOf(a.id));
  return order[0]!;
}
