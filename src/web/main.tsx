import { type ReactElement, StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { importableKinds } from '../domain/import-kinds.ts';
import { can, type Permission } from '../domain/roles.ts';
import { api, type Me, setCsrfToken } from './api.ts';
import { NotificationBell } from './components/NotificationBell.tsx';
import { Search } from './components/Search.tsx';
import { label } from './format.ts';
import { useHashRoute } from './hash-route.ts';
import { Admin } from './pages/Admin.tsx';
import { Allocation } from './pages/Allocation.tsx';
import { ApiTokens } from './pages/ApiTokens.tsx';
import { AuditLog } from './pages/AuditLog.tsx';
import { Companies } from './pages/Companies.tsx';
import { CompanyPage } from './pages/CompanyPage.tsx';
import { Council } from './pages/Council.tsx';
import { Credit } from './pages/Credit.tsx';
import { CreditFacility } from './pages/CreditFacility.tsx';
import { Dashboard } from './pages/Dashboard.tsx';
import { DealPage } from './pages/DealPage.tsx';
import { Deals } from './pages/Deals.tsx';
import { Governance } from './pages/Governance.tsx';
import { Imports } from './pages/Imports.tsx';
import { Jobs } from './pages/Jobs.tsx';
import { Ledger } from './pages/Ledger.tsx';
import { Login } from './pages/Login.tsx';
import { Network } from './pages/Network.tsx';
import { Notifications } from './pages/Notifications.tsx';
import { Pipeline } from './pages/Pipeline.tsx';
import { Research } from './pages/Research.tsx';
import { Setup } from './pages/Setup.tsx';
import './styles.css';

type User = Me['user'];

/** Where each role lands: the public side and the council on the council portal, everyone else on the dashboard. */
/**
 * The list pages and the permission each needs. A role without it gets neither the link nor the page's
 * filters and "Save view" above a refusal: only the refusal. (A deal's or company's own page is not listed: a
 * wall-crossed analyst may open one deal, and the server decides.)
 */
const PAGE_PERMISSION: Record<string, Permission> = {
  dashboard: 'programme.detail',
  pipeline: 'deals.read',
  deals: 'deals.read',
  companies: 'companies.read',
  ledger: 'ledger.read',
  allocation: 'programme.detail',
  network: 'network.read',
  credit: 'credit.read',
  audit: 'audit.read',
};
const mayOpen = (user: User, page: string) => {
  const permission = PAGE_PERMISSION[page];
  return permission === undefined || can(user, permission);
};

const home = (user: User) => (can(user, 'programme.detail') ? '/dashboard' : '/council');

/** Each page's title, for the tab and for screen readers that announce it. */
const TITLES: Record<string, string> = {
  dashboard: 'Dashboard',
  pipeline: 'Pipeline',
  deals: 'Deals',
  companies: 'Companies',
  ledger: 'Ledger',
  allocation: 'Allocation & pacing',
  imports: 'Import & export',
  research: 'Research',
  network: 'Network',
  credit: 'Credit',
  governance: 'Governance',
  council: 'Council portal',
  admin: 'Admin',
  audit: 'Audit log',
  tokens: 'API tokens',
  notifications: 'Notifications',
  jobs: 'Jobs',
};

function Nav({ user, route, onLogout }: { user: User; route: string; onLogout(): void }) {
  // Below 768 px the links fold behind a menu button; choosing a page folds them again.
  const [open, setOpen] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `route` is the trigger: a new page closes the menu.
  useEffect(() => setOpen(false), [route]);
  const links: Array<[string, string, boolean]> = [
    ['/dashboard', 'Dashboard', mayOpen(user, 'dashboard')],
    ['/pipeline', 'Pipeline', mayOpen(user, 'pipeline')],
    ['/deals', 'Deals', mayOpen(user, 'deals')],
    ['/companies', 'Companies', mayOpen(user, 'companies')],
    ['/ledger', 'Ledger', mayOpen(user, 'ledger')],
    ['/allocation', 'Allocation', mayOpen(user, 'allocation')],
    ['/imports', 'Import & export', importableKinds(user).length > 0],
    ['/governance', 'Governance', can(user, 'committee.read')],
    ['/network', 'Network', mayOpen(user, 'network')],
    ['/credit', 'Credit', mayOpen(user, 'credit')],
    ['/research', 'Research', can(user, 'research.read')],
    ['/council', 'Council portal', can(user, 'programme.aggregates')],
    ['/admin', 'Admin', can(user, 'users.read') || can(user, 'wall_crossings.read')],
    ['/audit', 'Audit log', mayOpen(user, 'audit')],
    ['/jobs', 'Jobs', true],
    ['/tokens', 'API tokens', true],
  ];
  return (
    <header className={`top${open ? ' open' : ''}`}>
      <span className="brand">Keel</span>
      <NotificationBell route={route} />
      <button
        type="button"
        className="menu-button"
        aria-expanded={open}
        aria-controls="main-nav"
        onClick={() => setOpen(!open)}
      >
        Menu
      </button>
      <nav aria-label="Main" id="main-nav">
        {links
          .filter(([, , visible]) => visible)
          .map(([href, text]) => (
            <a key={href} href={`#${href}`} aria-current={route.startsWith(href) ? 'page' : undefined}>
              {text}
            </a>
          ))}
      </nav>
      <Search user={user} />
      <span className="account">
        <span className="who" data-testid="who">
          {user.id} · {label(user.role)}
        </span>
        <button type="button" onClick={onLogout}>
          Log out
        </button>
      </span>
    </header>
  );
}

/** A demo folder (`keel demo`) says so on every page, the login and setup pages included. */
function DemoBanner() {
  const [synthetic, setSynthetic] = useState(false);
  useEffect(() => {
    api.get('/api/demo').then(
      (status) => setSynthetic(status.synthetic),
      () => setSynthetic(false),
    );
  }, []);
  if (!synthetic) return null;
  return (
    <div className="demo-banner" role="status" data-testid="demo-banner">
      Synthetic demo data — not real deals
    </div>
  );
}

function App() {
  return (
    <>
      <DemoBanner />
      <Page />
    </>
  );
}

function Page() {
  const { path: route, params } = useHashRoute();
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
  useEffect(() => {
    const [, page, id] = route.split('/');
    // A one-time link's page names the tab itself, once it knows which kind of link it is.
    if (page === 'setup') return;
    const title =
      user === null
        ? 'Sign in'
        : page === 'deals' && id
          ? 'Deal'
          : page === 'companies' && id
            ? 'Company'
            : page === 'credit' && id
              ? 'Facility'
              : (TITLES[page ?? ''] ?? (page ? 'No such page' : 'Keel'));
    // A deal's or company's page names the tab after it once loaded (useTitle), never by its id.
    document.title = `${title} · Keel`;
  }, [route, user]);
  if (user === undefined) return <p className="muted">Loading…</p>;
  const onLogin = (me: Me) => {
    setCsrfToken(me.csrfToken);
    setUser(me.user);
    window.location.hash = home(me.user);
  };
  if (route.startsWith('/setup/')) return <Setup token={route.slice('/setup/'.length)} onLogin={onLogin} />;
  if (user === null)
    return <Login onLogin={onLogin} ssoRefusal={route === '/login' ? params.get('sso') : null} />;
  const logout = async () => {
    const done = await api.post('/api/auth/logout').catch(() => null);
    setCsrfToken(null);
    // An account of the single sign-on provider is logged out there too (RP-initiated logout).
    if (done?.endSessionUrl) window.location.assign(done.endSessionUrl);
    else setUser(null);
  };
  const [, page, id] = route.split('/');
  let content: ReactElement;
  if (page && !id && !mayOpen(user, page))
    content = (
      <p className="notice denied" role="alert" data-testid="page-refused">
        <strong>Not available to your role.</strong> This page needs {PAGE_PERMISSION[page]}, which the role{' '}
        {label(user.role)} does not hold.
      </p>
    );
  else if (page === 'dashboard') content = <Dashboard />;
  else if (page === 'pipeline') content = <Pipeline params={params} />;
  // Keyed by id: a page's forms (a ledger entry under review, an edit) start afresh on another record.
  else if (page === 'deals' && id) content = <DealPage key={id} id={decodeURIComponent(id)} user={user} />;
  else if (page === 'deals') content = <Deals params={params} user={user} />;
  else if (page === 'companies' && id)
    content = <CompanyPage key={id} id={decodeURIComponent(id)} user={user} />;
  else if (page === 'companies') content = <Companies params={params} user={user} />;
  else if (page === 'ledger') content = <Ledger params={params} />;
  else if (page === 'allocation') content = <Allocation />;
  else if (page === 'imports') content = <Imports user={user} />;
  else if (page === 'research') content = <Research user={user} params={params} />;
  else if (page === 'credit' && id)
    content = <CreditFacility key={id} id={decodeURIComponent(id)} user={user} />;
  else if (page === 'credit') content = <Credit user={user} />;
  else if (page === 'network') content = <Network params={params} user={user} />;
  else if (page === 'governance') content = <Governance user={user} params={params} />;
  else if (page === 'council') content = <Council user={user} />;
  else if (page === 'admin') content = <Admin user={user} />;
  else if (page === 'audit') content = <AuditLog params={params} user={user} />;
  else if (page === 'tokens') content = <ApiTokens />;
  else if (page === 'notifications') content = <Notifications user={user} />;
  else if (page === 'jobs') content = <Jobs user={user} />;
  else if (!page) {
    window.location.hash = home(user);
    content = <p className="muted">Loading…</p>;
  }
  // An old bookmark or a mistyped address: said so, rather than another page shown in its place.
  else
    content = (
      <p className="notice denied" role="alert" data-testid="no-such-page">
        <strong>No such page.</strong> Keel has no page at <code>#{route}</code>.{' '}
        <a href={`#${home(user)}`}>Go to your start page</a>.
      </p>
    );
  return (
    <>
      <Nav user={user} route={route} onLogout={logout} />
      <main>{content}</main>
    </>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
