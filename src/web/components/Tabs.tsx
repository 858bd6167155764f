/** A row of tabs; the page shows the content of the selected one. */
export function Tabs<T extends string>({
  tabs,
  selected,
  onSelect,
  name,
}: {
  tabs: readonly { id: T; label: string }[];
  selected: T;
  onSelect(id: T): void;
  name: string;
}) {
  return (
    <div className="tabs" role="tablist" aria-label={name}>
      {tabs.map((t) => (
        <button
          key={t.id}
          type="button"
          role="tab"
          aria-selected={selected === t.id}
          className={selected === t.id ? 'active' : ''}
          onClick={() => onSelect(t.id)}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}
