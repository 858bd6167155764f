/** Previous and Next for a list paged on the server: `onPage` gets the offset of the page to show. */
export function Pager({
  offset,
  pageSize,
  total,
  onPage,
}: {
  offset: number;
  pageSize: number;
  total: number;
  onPage(offset: number): void;
}) {
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" disabled={offset === 0} onClick={() => onPage(Math.max(0, offset - pageSize))}>
        Previous
      </button>
      <button type="button" disabled={offset + pageSize >= total} onClick={() => onPage(offset + pageSize)}>
        Next
      </button>
    </nav>
  );
}
