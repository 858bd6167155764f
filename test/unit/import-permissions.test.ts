/**
 * Who may import which kind: the research analyst adds the public record's two kinds and nothing else;
 * whoever holds imports.run may import every kind (so the job routes' imports.public_record covers them).
 */
import { expect, it } from 'vitest';
import { IMPORT_KINDS, importableKinds, importPermission } from '../../src/domain/import-kinds.ts';
import { PERMISSIONS, ROLES } from '../../src/domain/roles.ts';

it('a research analyst may import exactly the public deals and the peer awards', () => {
  expect(importableKinds({ id: 'ra', role: 'research_analyst' })).toEqual(['public-deals', 'peer-awards']);
  expect(importableKinds({ id: 'ra', role: 'research_analyst', scope: 'read' })).toEqual([]);
  expect(IMPORT_KINDS.filter((k) => importPermission(k) === 'imports.public_record')).toEqual([
    'public-deals',
    'peer-awards',
  ]);
});

it('every role that imports private-side kinds imports all kinds; the rest import none', () => {
  for (const role of ROLES) {
    const kinds = importableKinds({ id: 'x', role });
    if ((PERMISSIONS['imports.run'] as readonly string[]).includes(role))
      expect(kinds).toEqual([...IMPORT_KINDS]);
    else if (role !== 'research_analyst') expect(kinds, role).toEqual([]);
  }
  for (const role of PERMISSIONS['imports.run'])
    expect(PERMISSIONS['imports.public_record'] as readonly string[]).toContain(role);
});
