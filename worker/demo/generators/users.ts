/** users: one row per (user, agent), the REPEATED agents record flattened as BigQuery's UNNEST would. */
import { users } from '../../../shared/views/users.ts';
import { viewTable } from './table.ts';
import type { Agent, DemoUser, World } from './world.ts';

interface AgentRow {
  readonly user: DemoUser;
  readonly agent: Agent;
}

export const usersTable = viewTable(
  users,
  function* (world: World): Generator<AgentRow> {
    for (const user of world.users) for (const agent of user.agents) yield { user, agent };
  },
  {
    'agents.agent_id': (r) => r.agent.id,
    'agents.logon_name': (r) => r.agent.logonName,
    'agents.user_name': (r) => r.agent.userName,
    device_logins: (r) => r.user.agents.map((a) => `${a.logonName}\\${a.userName}`).join(', '),
    display_name: (r) => r.user.alias,
    emails: (r) => r.user.email,
    employee_ids: (r) => r.user.employeeId,
    tracked: (r) => r.user.tracked,
    uid: (r) => r.user.uid,
    user_principal_names: (r) => r.user.principalName,
  },
);
