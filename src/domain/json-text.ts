/**
 * JSON as Keel sends and prints it: bigints (money in cents, sequence numbers) become decimal strings, exact
 * at any size. The API's answers, the CLI's --json output, stored job results and the audit export's details
 * all write through this one rule.
 */
const bigintsAsText = (_key: string, value: unknown) =>
  typeof value === 'bigint' ? value.toString() : value;

export function jsonText(value: unknown, indent?: number): string {
  return JSON.stringify(value, bigintsAsText, indent);
}
