import { useState } from 'react';
import { can, type Principal } from '../../domain/roles.ts';
import { ErrorState, Loading } from '../components/States.tsx';
import { Tabs } from '../components/Tabs.tsx';
import { useApi } from '../use-api.ts';
import { CriticalityTable } from './research/CriticalityTable.tsx';
import { EventStudy } from './research/EventStudy.tsx';
import { GraphExplorer } from './research/GraphExplorer.tsx';
import { ScenarioRunner } from './research/ScenarioRunner.tsx';

const TABS = [
  { id: 'graph', label: 'Graph explorer' },
  { id: 'criticality', label: 'Criticality' },
  { id: 'scenarios', label: 'Scenarios' },
  { id: 'events', label: 'Event study' },
] as const;

/** The research engine: where the programme's supply-chain exposure is, to whom, and what shocks would do. */
export function Research({ user }: { user: Principal }) {
  const [tab, setTab] = useState<(typeof TABS)[number]['id']>('graph');
  const graph = useApi('/api/research/graph');
  const scores = useApi('/api/research/scores');
  const error = graph.error ?? scores.error;
  return (
    <>
      <h1>Research</h1>
      <Tabs tabs={TABS} selected={tab} onSelect={(id) => setTab(id as typeof tab)} name="Research" />
      {error ? <ErrorState error={error} /> : null}
      {tab === 'events' ? (
        <EventStudy />
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
        />
      ) : (
        <CriticalityTable scores={scores.data.scores} version={scores.data.version} />
      )}
    </>
  );
}
