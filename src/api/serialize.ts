/** JSON for the API: bigints (money in cents, sequence numbers) become decimal strings, exact at any size. */
export function toJson(payload: unknown): string {
  return JSON.stringify(payload, (_key, value) => (typeof value === 'bigint' ? value.toString() : value));
}
