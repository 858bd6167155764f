import { can, type Principal } from '../../domain/roles.ts';
import { useApi } from '../use-api.ts';
import { RoleChanges } from './admin/RoleChanges.tsx';
import { Users } from './admin/Users.tsx';
import { WallCrossings } from './admin/WallCrossings.tsx';

/** Trust in one place: wall-crossings for compliance; users, their roles and role changes for admins. */
export function Admin({ user }: { user: Principal }) {
  const readsUsers = can(user, 'users.read');
  const manage = can(user, 'users.manage');
  const users = useApi(readsUsers ? '/api/users' : null);
  const changes = useApi(readsUsers ? '/api/role-changes' : null);
  // A request, a decision or a disabled user changes both lists.
  const reload = () => {
    users.reload();
    changes.reload();
  };
  return (
    <>
      <h1>Admin</h1>
      {can(user, 'wall_crossings.read') && <WallCrossings user={user} />}
      {readsUsers && (
        <Users
          me={user.id}
          users={users.data?.items}
          error={users.error}
          manage={manage}
          onChanged={reload}
        />
      )}
      {readsUsers && (
        <RoleChanges
          me={user.id}
          changes={changes.data?.items}
          error={changes.error}
          manage={manage}
          onDecided={reload}
        />
      )}
      <p className="muted">
        Your own API tokens are on the <a href="#/tokens">API tokens</a> page.
      </p>
    </>
  );
}
