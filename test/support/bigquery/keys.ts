/**
 * A throwaway service account for tests: an RSA key pair generated with WebCrypto at test
 * time (no key files in the repository) and the JSON key Google would hand out for it.
 */
export interface TestServiceAccount {
  /** The JSON key, as GOOGLE_SERVICE_ACCOUNT_JSON would hold it. */
  readonly json: string;
  readonly clientEmail: string;
  readonly privateKeyPem: string;
  /** For the stand-in's token endpoint, to verify assertions. */
  readonly publicKey: CryptoKey;
}

function pem(label: string, der: ArrayBuffer): string {
  let bin = '';
  for (const b of new Uint8Array(der)) bin += String.fromCharCode(b);
  const lines = btoa(bin).match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** A fresh service account for `project`; each call makes a new key. */
export async function createTestServiceAccount(project = 'acb-standin', name = 'activconnect-bridge'): Promise<TestServiceAccount> {
  const pair = (await crypto.subtle.generateKey(
    { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
    true,
    ['sign', 'verify'],
  )) as CryptoKeyPair;
  const privateKeyPem = pem('PRIVATE KEY', (await crypto.subtle.exportKey('pkcs8', pair.privateKey)) as ArrayBuffer);
  const clientEmail = `${name}@${project}.iam.gserviceaccount.com`;
  const json = JSON.stringify({
    type: 'service_account',
    project_id: project,
    private_key_id: 'standin-key-1',
    private_key: privateKeyPem,
    client_email: clientEmail,
    client_id: '100000000000000000001',
    auth_uri: 'https://accounts.google.com/o/oauth2/auth',
    token_uri: 'https://oauth2.googleapis.com/token',
  });
  return { json, clientEmail, privateKeyPem, publicKey: pair.publicKey };
}
