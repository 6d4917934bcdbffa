// A real OpenID Connect provider for the web tests: panva's certified oidc-provider with its development
// sign-in pages (any login name, any password). Who each login name is comes from OIDC_ACCOUNTS.
import Provider from 'oidc-provider';

const port = Number(process.env.OIDC_PORT);
const accounts = JSON.parse(process.env.OIDC_ACCOUNTS);
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [{
    client_id: process.env.OIDC_CLIENT_ID,
    client_secret: process.env.OIDC_CLIENT_SECRET,
    redirect_uris: [process.env.OIDC_REDIRECT_URI],
    grant_types: ['authorization_code'],
    response_types: ['code'],
  }],
  scopes: ['openid', 'email', 'coprod'],
  claims: { openid: ['sub'], email: ['email', 'email_verified'], coprod: ['roles', 'coprod_regions', 'coprod_services'] },
  cookies: { keys: ['web-tests-only-not-a-secret'] },
  async findAccount(ctx, id) {
    const claims = accounts[id];
    if (!claims) return undefined;
    return { accountId: id, async claims() { return { sub: id, email_verified: true, ...claims }; } };
  },
});
provider.listen(port, '127.0.0.1', () => console.log(`oidc-provider listening at ${issuer}`));
