import type { EChartsOption } from 'echarts';
import { useCallback, useMemo, useRef } from 'react';
import { api } from '../../api.ts';
import { Chart } from '../../components/Chart.tsx';
import { useApi } from '../../use-api.ts';
import { MaterialRelease } from './MaterialRelease.tsx';
import { type GraphVersion, type NodeScore, pct, riskOf } from './types.ts';

const COLUMNS = ['material', 'processed', 'sub_area', 'company'] as const;

/** Red for the riskiest node, pale for none: a share of the largest risk on the graph. */
function colour(risk: number, largest: number) {
  const t = largest > 0 ? Math.min(1, risk / largest) : 0;
  const r = 255;
  const g = Math.round(235 - 190 * t);
  const b = Math.round(220 - 190 * t);
  return `rgb(${r},${g},${b})`;
}

export function GraphExplorer({
  graph,
  scores,
  canWrite,
  selected,
  onSelect: setSelected,
}: {
  graph: GraphVersion;
  scores: NodeScore[];
  canWrite: boolean;
  /** The selected node lives in the URL (a search result or a shared link opens it). */
  selected: string | null;
  onSelect(id: string | null): void;
}) {
  const byId = useMemo(() => new Map(scores.map((s) => [s.id, s])), [scores]);
  const option = useMemo<EChartsOption>(() => {
    const largest = Math.max(...scores.map(riskOf));
    const rows = new Map<string, number>();
    const data = graph.graph.nodes.map((n) => {
      const column = COLUMNS.indexOf(n.kind);
      const row = rows.get(n.kind) ?? 0;
      rows.set(n.kind, row + 1);
      return {
        id: n.id,
        name: n.name,
        x: column * 320,
        y: row * 34,
        symbolSize: 14,
        itemStyle: { color: colour(riskOf(byId.get(n.id)), largest), borderColor: '#555' },
        label: { show: true, position: column === 0 ? ('left' as const) : ('right' as const), fontSize: 10 },
        value: riskOf(byId.get(n.id)),
      };
    });
    return {
      tooltip: { formatter: (p: unknown) => (p as { data: { name?: string } }).data.name ?? '' },
      series: [
        {
          type: 'graph',
          layout: 'none',
          left: 150,
          right: 150,
          top: 20,
          bottom: 20,
          roam: true,
          data,
          links: graph.graph.edges.map((e) => ({
            source: e.from,
            target: e.to,
            lineStyle: { width: 0.5 + 3 * e.weight, opacity: 0.5, curveness: 0.1 },
          })),
          edgeSymbol: ['none', 'arrow'] as [string, string],
          edgeSymbolSize: 5,
          emphasis: { focus: 'adjacency' },
        },
      ],
    };
  }, [graph, scores, byId]);
  // The chart is built once per graph: a click reaches the latest handler through a ref, not a rebuild.
  const select = useRef(setSelected);
  select.current = setSelected;
  const onClick = useCallback((data: unknown) => {
    const id = (data as { id?: string } | undefined)?.id;
    if (id) select.current(id);
  }, []);
  return (
    <div className="two">
      <section className="panel">
        <h2>Dependency graph, version {graph.version}</h2>
        <p className="muted">
          Materials → processed materials → sub-areas. Drag to pan, scroll to zoom; colour is criticality
          (USGS supply risk, or what a node inherits from its inputs). Click a node for its data and sources.
        </p>
        <label>
          Find a node{' '}
          <select value={selected ?? ''} onChange={(e) => setSelected(e.target.value || null)}>
            <option value="">—</option>
            {graph.graph.nodes.map((n) => (
              <option key={n.id} value={n.id}>
                {n.name}
              </option>
            ))}
          </select>
        </label>
        <Chart name="research-graph" option={option} height={Math.max(560, 34 * 30)} onClick={onClick} />
      </section>
      <NodeDetails
        graph={graph}
        id={selected}
        score={selected ? byId.get(selected) : undefined}
        canWrite={canWrite}
      />
    </div>
  );
}

function NodeDetails({
  graph,
  id,
  score,
  canWrite,
}: {
  graph: GraphVersion;
  id: string | null;
  score?: NodeScore;
  canWrite: boolean;
}) {
  const notes = useApi(id ? '/api/research/notes' : null, { query: { kind: 'node', id: id ?? undefined } });
  const node = graph.graph.nodes.find((n) => n.id === id);
  if (!node) {
    return (
      <section className="panel" data-testid="node-details">
        <h2>Node</h2>
        <p className="muted">Click a node of the graph.</p>
      </section>
    );
  }
  const inputs = graph.graph.edges.filter((e) => e.to === node.id);
  const outputs = graph.graph.edges.filter((e) => e.from === node.id);
  return (
    <section className="panel" data-testid="node-details">
      <h2>{node.name}</h2>
      <p className="muted">
        {node.id} · {node.kind.replace('_', ' ')}
      </p>
      <table>
        <tbody>
          <tr>
            <td>HHI (0–10,000)</td>
            <td className="num">{score?.hhi === null || !score ? '–' : Math.round(score.hhi)}</td>
          </tr>
          <tr>
            <td>Share from countries of concern</td>
            <td className="num">{pct(score?.concernShare)}</td>
          </tr>
          <tr>
            <td>US net import reliance</td>
            <td className="num">{pct(score?.importReliance)}</td>
          </tr>
          <tr>
            <td>Domestic producers</td>
            <td className="num">
              {score?.domesticProducers ?? '–'}
              {score?.singlePointOfFailure ? ' (single point of failure)' : ''}
            </td>
          </tr>
          <tr>
            <td>USGS supply risk (DP × TE × EV)</td>
            <td className="num">{score?.usgs ? score.usgs.supplyRisk.toFixed(4) : '–'}</td>
          </tr>
          <tr>
            <td>EU supply risk / economic importance</td>
            <td className="num">
              {score?.eu
                ? `${score.eu.supplyRisk.toFixed(2)} / ${score.eu.economicImportance?.toFixed(2) ?? '–'}`
                : '–'}
            </td>
          </tr>
          <tr>
            <td>Inherited risk</td>
            <td className="num">
              {score
                ? `${score.inherited.risk.toFixed(4)} ${score.inherited.material ? `from ${score.inherited.material}` : ''}`
                : '–'}
            </td>
          </tr>
        </tbody>
      </table>
      {node.kind === 'material' && (
        <MaterialRelease
          id={node.id}
          keelEuSupplyRisk={score?.eu?.supplyRisk}
          hasEdges={inputs.length + outputs.length > 0}
        />
      )}
      {node.kind === 'processed' && !node.worldShares && (
        <p className="muted" data-testid="no-shares">
          World shares: not in any loaded file (no country shares are scored for this node).
        </p>
      )}
      {node.worldShares && (
        <>
          <h3>World shares (as scored)</h3>
          <p>
            {Object.entries(node.worldShares)
              .map(([c, s]) => `${c} ${pct(s, 0)}`)
              .join(' · ')}
          </p>
        </>
      )}
      {node.importSources && (
        <>
          <h3>US import sources</h3>
          <p>
            {Object.entries(node.importSources)
              .map(([c, s]) => `${c} ${pct(s, 0)}`)
              .join(' · ')}
          </p>
        </>
      )}
      <h3>Inputs and uses</h3>
      <ul>
        {inputs.map((e) => (
          <li key={`i-${e.from}`}>
            ← {e.from} (weight {e.weight}) <span className="muted">{e.source}</span>
          </li>
        ))}
        {outputs.map((e) => (
          <li key={`o-${e.to}`}>
            → {e.to} (weight {e.weight})
          </li>
        ))}
      </ul>
      <h3>Source</h3>
      <p className="muted" data-testid="node-source">
        {node.source}
      </p>
      <h3>Notes</h3>
      {notes.data?.notes.length ? (
        notes.data.notes.map((n) => (
          <article key={n.id}>
            <strong>{n.title}</strong>{' '}
            <span className="muted">
              {n.authorName ?? n.author} · {n.status}
            </span>
            <p>{n.bodyMarkdown}</p>
          </article>
        ))
      ) : (
        <p className="muted">No notes.</p>
      )}
      {canWrite && (
        <form
          className="filters"
          onSubmit={async (event) => {
            event.preventDefault();
            const form = event.currentTarget;
            const f = new FormData(form);
            await api.post('/api/research/notes', {
              body: {
                title: String(f.get('title')),
                bodyMarkdown: String(f.get('body')),
                status: f.get('publish') === 'on' ? 'published' : 'draft',
                side: 'public',
                subjectKind: 'node',
                subjectId: node.id,
              },
            });
            form.reset();
            notes.reload();
          }}
        >
          <label>
            Note title <input name="title" required />
          </label>
          <label>
            Note (markdown) <textarea name="body" required rows={3} />
          </label>
          <label>
            <input type="checkbox" name="publish" /> Publish
          </label>
          <button type="submit">Add note</button>
        </form>
      )}
    </section>
  );
}
