import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NewUser, UsersService } from '#libs/auth';

// On an empty embedded (demo) database: one clearly named demo user per role, with random passwords
// written to a file only the owner can read. The log says where the file is, never the passwords.
export async function seedDemoUsers(users: UsersService, dataDir: string): Promise<string | null> {
  if ((await users.count()) > 0) return null;
  const demo: Omit<NewUser, 'password'>[] = [
    {
      username: 'demo.registrar',
      displayName: 'Demo registrar (Derbyshire)',
      roles: ['registrar'],
      forceIds: ['derbyshire'],
      allForces: false,
    },
    {
      username: 'demo.fcr',
      displayName: 'Demo force crime registrar (Derbyshire)',
      roles: ['force_crime_registrar'],
      forceIds: ['derbyshire'],
      allForces: false,
    },
    {
      username: 'demo.statistician',
      displayName: 'Demo statistician (national)',
      roles: ['statistician'],
      forceIds: [],
      allForces: true,
    },
    {
      username: 'demo.auditor',
      displayName: 'Demo auditor (national)',
      roles: ['auditor'],
      forceIds: [],
      allForces: true,
    },
    {
      username: 'demo.admin',
      displayName: 'Demo administrator',
      roles: ['admin'],
      forceIds: [],
      allForces: false,
    },
  ];
  const lines = [
    '# Demo logins for this embedded database only. POST /auth/login {"username": ..., "password": ...}',
  ];
  for (const u of demo) {
    const password = randomBytes(12).toString('base64url');
    await users.create('system', { ...u, password }, () => true);
    lines.push(`${u.username}\t${password}\t${u.roles.join(',')}`);
  }
  const file = join(dataDir, 'demo-logins.txt');
  writeFileSync(file, `${lines.join('\n')}\n`, { mode: 0o600 });
  return file;
}
