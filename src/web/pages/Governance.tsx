import { can, type Principal } from '../../domain/roles.ts';
import { Tabs } from '../components/Tabs.tsx';
import { navigate } from '../hash-route.ts';
import { Committee } from './governance/Committee.tsx';
import { Coverage } from './governance/Coverage.tsx';
import { ImpactWatch } from './governance/ImpactWatch.tsx';
import { ReportedDeals } from './governance/ReportedDeals.tsx';
import { UsMap } from './governance/UsMap.tsx';

/** Running the programme: the committee, the map of where capital goes, coverage and hiring. */
export function Governance({ user, params }: { user: Principal; params: URLSearchParams }) {
  const tabs = [
    { id: 'committee', label: 'Investment committee', show: can(user, 'committee.read') },
    { id: 'map', label: 'Map', show: can(user, 'deals.read') },
    { id: 'record', label: 'Public record', show: can(user, 'deals.read') },
    { id: 'coverage', label: 'Coverage & hiring', show: can(user, 'coverage.read') },
    { id: 'impacts', label: 'Reshoring & peers', show: can(user, 'programme.aggregates') },
  ].filter((t) => t.show);
  // The tab lives in the URL: Back returns to the previous tab, a link opens the same one.
  const tab = tabs.find((t) => t.id === params.get('tab'))?.id ?? tabs[0]?.id ?? '';
  const setTab = (id: string) => navigate('/governance', { tab: id });
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
