import { type ReactElement, StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { can } from '../domain/roles.ts';
import { api, type Me, setCsrfToken } from './api.ts';
import { Admin } from './pages/Admin.tsx';
import { Allocation } from './pages/Allocation.tsx';
import { ApiTokens } from './pages/ApiTokens.tsx';
import { CompanyPage } from './pages/CompanyPage.tsx';
import { Council } from './pages/Council.tsx';
import { Dashboard } from './pages/Dashboard.tsx';
import { DealPage } from './pages/DealPage.tsx';
import { Governance } from './pages/Governance.tsx';
import { Imports } from './pages/Imports.tsx';
import { Login } from './pages/Login.tsx';
import { Network } from './pages/Network.tsx';
import { Pipeline } from './pages/Pipeline.tsx';
import { Research } from './pages/Research.tsx';
import { Setup } from './pages/Setup.tsx';
import './styles.css';

type User = Me['user'];

function useHashRoute(): string {
  const [route, setRoute] = useState(() => window.location.hash.slice(1) || '/');
  useEffect(() => {
    const onChange = () => setRoute(window.location.hash.slice(1) || '/');
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

/** Where each role lands: the public side and the council on the council portal, everyone else on the dashboard. */
const home = (user: User) => (can(user, 'programme.detail') ? '/dashboard' : '/council');

function Nav({ user, onLogout }: { user: User; onLogout(): void }) {
  const links: Array<[string, string, boolean]> = [
    ['/dashboard', 'Dashboard', can(user, 'programme.detail')],
    ['/pipeline', 'Pipeline', can(user, 'deals.read')],
    ['/allocation', 'Allocation', can(user, 'programme.detail')],
    ['/imports', 'Import & export', can(user, 'imports.run')],
    ['/governance', 'Governance', can(user, 'committee.read')],
    ['/network', 'Network', can(user, 'network.read')],
    ['/research', 'Research', can(user, 'research.read')],
    ['/council', 'Council portal', can(user, 'programme.aggregates')],
    ['/admin', 'Admin', can(user, 'users.read') || can(user, 'wall_crossings.read')],
    ['/tokens', 'API tokens', true],
  ];
  return (
    <header className="top">
      <span className="brand">Keel</span>
      <nav aria-label="Main">
        {links
          .filter(([, , visible]) => visible)
          .map(([href, text]) => (
            <a key={href} href={`#${href}`}>
              {text}
            </a>
          ))}
      </nav>
      <span className="who" data-testid="who">
        {user.id} · {user.role.replaceAll('_', ' ')}
      </span>
      <button type="button" onClick={onLogout}>
        Log out
      </button>
    </header>
  );
}

function App() {
  const route = useHashRoute();
  const [user, setUser] = useState<User | null | undefined>(undefined);
  useEffect(() => {
    api.get('/api/me').then(
      (me) => {
        setCsrfToken(me.csrfToken);
        setUser(me.user);
      },
      () => setUser(null),
    );
  }, []);
  if (user === undefined) return <p className="muted">Loading…</p>;
  const onLogin = (me: Me) => {
    setCsrfToken(me.csrfToken);
    setUser(me.user);
    window.location.hash = home(me.user);
  };
  if (route.startsWith('/setup/')) return <Setup token={route.slice('/setup/'.length)} onLogin={onLogin} />;
  if (user === null) return <Login onLogin={onLogin} />;
  const logout = async () => {
    await api.post('/api/auth/logout').catch(() => {});
    setCsrfToken(null);
    setUser(null);
  };
  const [, page, id] = route.split('/');
  let content: ReactElement;
  if (page === 'dashboard') content = <Dashboard />;
  else if (page === 'pipeline') content = <Pipeline />;
  else if (page === 'deals' && id) content = <DealPage id={decodeURIComponent(id)} user={user} />;
  else if (page === 'companies' && id) content = <CompanyPage id={decodeURIComponent(id)} />;
  else if (page === 'allocation') content = <Allocation />;
  else if (page === 'imports') content = <Imports />;
  else if (page === 'research') content = <Research user={user} />;
  else if (page === 'network') content = <Network user={user} />;
  else if (page === 'governance') content = <Governance user={user} />;
  else if (page === 'council') content = <Council user={user} />;
  else if (page === 'admin') content = <Admin user={user} />;
  else if (page === 'tokens') content = <ApiTokens />;
  else {
    window.location.hash = home(user);
    content = <p className="muted">Loading…</p>;
  }
  return (
    <>
      <Nav user={user} onLogout={logout} />
      <main>{content}</main>
    </>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
