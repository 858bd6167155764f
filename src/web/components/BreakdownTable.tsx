import { dollars, label } from '../format.ts';

/** A breakdown of counted amounts (by area, sub-area, …): one row per key. */
export function BreakdownTable({ rows }: { rows: Array<{ key: string; counted: string }> }) {
  return (
    <table>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key}>
            <td>{label(row.key)}</td>
            <td className="num">{dollars(row.counted)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
