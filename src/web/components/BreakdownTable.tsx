import { AmountOrHidden } from './Amount.tsx';

/**
 * A breakdown of counted amounts (by area, sub-area, …): one row per key. On the public side, cells that
 * fewer than k deals add up to are merged into an `other` row, and a hidden amount arrives as null.
 */
export function BreakdownTable({
  rows,
  name,
  minimumCellSize,
}: {
  rows: Array<{ key: string; counted: string | null; merged?: boolean }>;
  /** A key's name as the taxonomy gives it ("Critical minerals mining & processing", not the key). */
  name: (key: string) => string;
  minimumCellSize?: number;
}) {
  return (
    <table>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key}>
            <td>
              {row.merged ? `Others together (each fewer than ${minimumCellSize ?? 3} deals)` : name(row.key)}
            </td>
            <td className="num">
              <AmountOrHidden cents={row.counted} k={minimumCellSize} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
