import { useState } from 'react';
import { suggestSlug } from '../domain/slug.ts';

/**
 * A name and the id suggested from it: the id follows the name until the person edits the id themselves,
 * so a new record gets a readable id without anyone having to invent one.
 */
export function useSuggestedId() {
  const [name, setName] = useState('');
  const [typedId, setTypedId] = useState<string | null>(null);
  return {
    name,
    setName,
    id: typedId ?? suggestSlug(name),
    setId: setTypedId,
    reset: () => {
      setName('');
      setTypedId(null);
    },
  };
}
