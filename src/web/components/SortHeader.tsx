/**
 * A column header that sorts a server-side list: it says how the list is sorted (aria-sort and an arrow),
 * and a click asks for this column, or for the other direction when it is already the sort.
 */
export function SortHeader({
  column,
  text,
  sort,
  dir,
  onSort,
  numeric = false,
}: {
  column: string;
  text: string;
  sort: string;
  dir: string;
  onSort(column: string): void;
  numeric?: boolean;
}) {
  const active = sort === column;
  return (
    <th
      className={numeric ? 'num' : ''}
      aria-sort={active ? (dir === 'asc' ? 'ascending' : 'descending') : 'none'}
    >
      <button type="button" className="link" onClick={() => onSort(column)}>
        {text}
        {active ? (dir === 'asc' ? ' ▲' : ' ▼') : ''}
      </button>
    </th>
  );
}
