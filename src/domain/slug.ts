/**
 * A slug suggested from a name a person typed ("Perpetua Resources, Inc." → "perpetua-resources-inc"), for a
 * form to offer as the id; the `slug` schema still decides whether it is accepted.
 */
export function suggestSlug(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
}
