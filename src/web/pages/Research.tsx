import { can, type Principal } from '../../domain/roles.ts';
import { ErrorState, Loading } from '../components/States.tsx';
import { Tabs } from '../components/Tabs.tsx';
import { navigate } from '../hash-route.ts';
import { useApi } from '../use-api.ts';
import { CriticalityTable } from './research/CriticalityTable.tsx';
import { EconomyImpact } from './research/EconomyImpact.tsx';
import { EventStudy } from './research/EventStudy.tsx';
import { GraphExplorer } from './research/GraphExplorer.tsx';
import { ImportDependence } from './research/ImportDependence.tsx';
import { ScenarioRunner } from './research/ScenarioRunner.tsx';

const TABS = [
  { id: 'graph', label: 'Graph explorer' },
  { id: 'criticality', label: 'Criticality' },
  { id: 'scenarios', label: 'Scenarios' },
  { id: 'economy', label: 'Economy-wide' },
  { id: 'events', label: 'Event study' },
] as const;

/** The research engine: where the programme's supply-chain exposure is, to whom, and what shocks would do. */
export function Research({ user, params }: { user: Principal; params: URLSearchParams }) {
  // The tab and the selected node live in the URL: Back returns, a search result opens its node.
  const tab = TABS.find((t) => t.id === params.get('tab'))?.id ?? 'graph';
  const node = params.get('node');
  const go = (change: { tab?: string; node?: string | null; va?: number }) =>
    navigate('/research', {
      tab: change.tab ?? tab,
      node: change.node === undefined ? (node ?? '') : (change.node ?? ''),
      ...((change.va ?? valueAddedYear) ? { va: String(change.va ?? valueAddedYear) } : {}),
    });
  const graph = useApi('/api/research/graph');
  // The year whose value added weighs the EU economic importance (BEA summary use table, 1997–2015).
  const valueAddedYear = Number(params.get('va') ?? '') || undefined;
  const scores = useApi('/api/research/scores', valueAddedYear ? { query: { valueAddedYear } } : {});
  const error = graph.error ?? scores.error;
  return (
    <>
      <h1>Research</h1>
      <Tabs tabs={TABS} selected={tab} onSelect={(id) => go({ tab: id, node: null })} name="Research" />
      {error ? <ErrorState error={error} /> : null}
      {tab === 'events' ? (
        <EventStudy />
      ) : tab === 'economy' ? (
        <>
          <EconomyImpact />
          <ImportDependence />
        </>
      ) : tab === 'scenarios' ? (
        <ScenarioRunner nodes={can(user, 'research.write') ? graph.data?.graph.nodes : undefined} />
      ) : !graph.data || !scores.data ? (
        error ? null : (
          <Loading />
        )
      ) : tab === 'graph' ? (
        <GraphExplorer
          graph={graph.data}
          scores={scores.data.scores}
          canWrite={can(user, 'research.write')}
          selected={node}
          onSelect={(id) => go({ node: id })}
        />
      ) : (
        <CriticalityTable
          scores={scores.data.scores}
          version={scores.data.version}
          valueAdded={scores.data.valueAdded}
          onValueAddedYear={(va) => go({ va })}
        />
      )}
    </>
  );
}
