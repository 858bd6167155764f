import type { ReactNode } from 'react';
import { countOf, formatCount } from '../format.ts';
import { Pager } from './Pager.tsx';
import { SortHeader } from './SortHeader.tsx';

/** A sortable column: its sort key, its header, and whether it holds numbers (right-aligned). */
export type SortColumn = readonly [key: string, text: string, numeric: boolean];

/** What the table needs of the page's list view (`useListView`): its sort and page, and how to change them. */
export interface PagedListView {
  sort: string;
  dir: string;
  offset: number;
  sortBy(column: string): void;
  go(change: { offset: string }): void;
}

/**
 * One page of a list sorted and paged on the server: how many match and which are shown, the sortable
 * headers (then any headers that do not sort), the rows the page draws, and Previous/Next.
 */
export function PagedTable({
  name,
  countName,
  noun,
  total,
  pageSize,
  columns,
  otherColumns = [],
  list,
  children,
}: {
  /** The table's test id ("deals"). */
  name: string;
  /** The count line's test id ("deal-count"). */
  countName: string;
  /** What a row is, singular and plural (["deal", "deals"]). */
  noun: readonly [one: string, many: string];
  total: number;
  pageSize: number;
  columns: readonly SortColumn[];
  otherColumns?: readonly string[];
  list: PagedListView;
  children: ReactNode;
}) {
  const { sort, dir, offset } = list;
  const onPage = (at: number) => list.go({ offset: String(at) });
  if (offset >= total)
    // A link or Back can land past the end (the list shrank, or the offset was typed): say so, offer a way back.
    return (
      <p className="muted" data-testid={countName} aria-live="polite">
        {countOf(total, noun)}; this page is past the end of the list.{' '}
        <button type="button" className="link" onClick={() => onPage(0)}>
          Go to the first page
        </button>
      </p>
    );
  return (
    <>
      <p className="muted" data-testid={countName} aria-live="polite">
        {countOf(total, noun)}; {formatCount(offset + 1)}–{formatCount(Math.min(offset + pageSize, total))}{' '}
        shown
      </p>
      {/* On a phone the table scrolls inside its own box; numbers and headers do not break mid-figure. */}
      <div className="table-scroll">
        <table data-testid={name}>
          <thead>
            <tr>
              {columns.map(([key, text, numeric]) => (
                <SortHeader
                  key={key}
                  column={key}
                  text={text}
                  sort={sort}
                  dir={dir}
                  onSort={list.sortBy}
                  numeric={numeric}
                />
              ))}
              {otherColumns.map((text) => (
                <th key={text}>{text}</th>
              ))}
            </tr>
          </thead>
          <tbody>{children}</tbody>
        </table>
      </div>
      <Pager offset={offset} pageSize={pageSize} total={total} onPage={onPage} />
    </>
  );
}
