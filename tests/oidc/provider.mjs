// A real OpenID Connect provider for loadscout's SSO tests: panva's certified oidc-provider,
// on 127.0.0.1 only, with one confidential client and a few in-memory accounts.
//
//   node provider.mjs PORT CLIENT_ID CLIENT_SECRET REDIRECT_URI
//
// Sign in through its built-in login form (devInteractions: any password; the login is the
// account id below), then confirm its consent form. Tests change an account's claims with
//   PUT /test/accounts/<id>  {"groups": [...], "email_verified": true, ...}
// Prints "ready <issuer>" once it listens.
import http from 'node:http';

import Provider from 'oidc-provider';

const [port, clientId, clientSecret, redirectUri] = process.argv.slice(2);
if (!port || !clientId || !clientSecret || !redirectUri) {
  console.error('usage: node provider.mjs PORT CLIENT_ID CLIENT_SECRET REDIRECT_URI');
  process.exit(2);
}

const accounts = new Map(Object.entries({
  runner: { email: 'runner@example.test', email_verified: true, name: 'Rita Runner', groups: ['lt-runners'] },
  boss: { email: 'boss@example.test', email_verified: true, name: 'Bo Boss', groups: ['lt-admins', 'lt-instance-admins'] },
  unverified: { email: 'unverified@example.test', email_verified: false, name: 'Una', groups: ['lt-runners'] },
  loner: { email: 'loner@example.test', email_verified: true, name: 'Lou Loner', groups: ['unrelated'] },
}));

const issuer = `http://127.0.0.1:${port}`;
const provider = new Provider(issuer, {
  clients: [{
    client_id: clientId,
    client_secret: clientSecret,
    redirect_uris: [redirectUri],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name'],
    groups: ['groups'],
  },
  async findAccount(ctx, sub) {
    const account = accounts.get(sub);
    if (!account) return undefined;
    return { accountId: sub, async claims() { return { sub, ...account }; } };
  },
  features: { devInteractions: { enabled: true } },
  pkce: { required: () => true },
  cookies: { keys: ['loadscout-tests-only'] },
});

async function changeAccount(req, res) {
  const id = decodeURIComponent(req.url.slice('/test/accounts/'.length));
  let body = '';
  for await (const chunk of req) body += chunk;
  if (!accounts.has(id)) {
    res.writeHead(404).end(`no account ${id}`);
    return;
  }
  accounts.set(id, { ...accounts.get(id), ...JSON.parse(body) });
  res.writeHead(204).end();
}

const handle = provider.callback();
const server = http.createServer((req, res) => {
  if (req.method === 'PUT' && req.url.startsWith('/test/accounts/')) {
    changeAccount(req, res).catch((err) => res.writeHead(400).end(String(err)));
    return;
  }
  handle(req, res);
});
server.listen(Number(port), '127.0.0.1', () => console.log(`ready ${issuer}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
