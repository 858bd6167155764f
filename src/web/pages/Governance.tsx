import { useState } from 'react';
import { can, type Principal } from '../../domain/roles.ts';
import { Tabs } from '../components/Tabs.tsx';
import { Committee } from './governance/Committee.tsx';
import { Coverage } from './governance/Coverage.tsx';
import { ImpactWatch } from './governance/ImpactWatch.tsx';
import { ReportedDeals } from './governance/ReportedDeals.tsx';
import { UsMap } from './governance/UsMap.tsx';

/** Running the programme: the committee, the map of where capital goes, coverage and hiring. */
export function Governance({ user }: { user: Principal }) {
  const tabs = [
    { id: 'committee', label: 'Investment committee', show: can(user, 'committee.read') },
    { id: 'map', label: 'Map', show: can(user, 'deals.read') },
    { id: 'record', label: 'Public record', show: can(user, 'deals.read') },
    { id: 'coverage', label: 'Coverage & hiring', show: can(user, 'coverage.read') },
    { id: 'impacts', label: 'Reshoring & peers', show: can(user, 'programme.aggregates') },
  ].filter((t) => t.show);
  const [tab, setTab] = useState(tabs[0]?.id ?? '');
  return (
    <>
      <h1>Governance</h1>
      <Tabs tabs={tabs} selected={tab} onSelect={setTab} name="Governance" />
      {tab === 'committee' && <Committee user={user} />}
      {tab === 'map' && <UsMap />}
      {tab === 'record' && <ReportedDeals />}
      {tab === 'coverage' && <Coverage user={user} />}
      {tab === 'impacts' && <ImpactWatch />}
    </>
  );
}
