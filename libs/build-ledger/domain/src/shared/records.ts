/**
 * The value a record holds under `key` as its own property, or undefined: `record[key]` would
 * answer `valueOf` or `constructor` with Object.prototype's members, and ids are caller-chosen text.
 */
export function own<V>(record: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
