/**
 * Who may import which kind: the research analyst adds the public record's two kinds and nothing else; a
 * banker (credit.write) the reference-rate fixings and nothing else; whoever holds imports.run may import
 * every kind; and whoever may import any kind may watch and cancel their import jobs (imports.jobs).
 */
import { expect, it } from 'vitest';
import { IMPORT_KINDS, importableKinds, importPermission } from '../../src/domain/import-kinds.ts';
import { can, PERMISSIONS, ROLES } from '../../src/domain/roles.ts';

it('a research analyst may import exactly the public deals and the peer awards', () => {
  expect(importableKinds({ id: 'ra', role: 'research_analyst' })).toEqual(['public-deals', 'peer-awards']);
  expect(importableKinds({ id: 'ra', role: 'research_analyst', scope: 'read' })).toEqual([]);
  expect(IMPORT_KINDS.filter((k) => importPermission(k) === 'imports.public_record')).toEqual([
    'public-deals',
    'peer-awards',
  ]);
});

it('a banker may import the reference-rate fixings of the credit book and nothing else', () => {
  expect(importableKinds({ id: 'b', role: 'banker' })).toEqual(['rate-fixings']);
  expect(importPermission('rate-fixings')).toBe('credit.write');
});

it('every role that imports private-side kinds imports all kinds; the rest import only their own', () => {
  for (const role of ROLES) {
    const kinds = importableKinds({ id: 'x', role });
    if ((PERMISSIONS['imports.run'] as readonly string[]).includes(role))
      expect(kinds).toEqual([...IMPORT_KINDS]);
    else if (role !== 'research_analyst' && role !== 'banker') expect(kinds, role).toEqual([]);
    // Whoever may start an import may watch and cancel it, and nobody else.
    expect(can({ id: 'x', role }, 'imports.jobs'), role).toBe(kinds.length > 0);
  }
  for (const role of PERMISSIONS['imports.run'])
    expect(PERMISSIONS['imports.public_record'] as readonly string[]).toContain(role);
});
