import type { useSuggestedId } from '../use-suggested-id.ts';

/**
 * A new record's name and its id, suggested from the name until edited (see useSuggestedId). The id takes
 * what the server's slug rule takes; the server checks it again and says why when it refuses one.
 */
export function NameAndId({
  named,
  nameLabel,
  idLabel,
  maxNameLength = 200,
}: {
  named: ReturnType<typeof useSuggestedId>;
  nameLabel: string;
  idLabel: string;
  maxNameLength?: number;
}) {
  return (
    <>
      <label>
        {nameLabel}
        <input
          required
          maxLength={maxNameLength}
          value={named.name}
          onChange={(e) => named.setName(e.target.value)}
        />
      </label>
      <label>
        {idLabel}
        <input
          required
          maxLength={120}
          pattern="[a-z0-9][a-z0-9\-]*"
          title="lower-case letters, digits and hyphens"
          value={named.id}
          onChange={(e) => named.setId(e.target.value)}
        />
      </label>
    </>
  );
}
