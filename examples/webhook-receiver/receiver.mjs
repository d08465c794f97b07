// A webhook receiver for trying the bridge's REST hooks locally: prints each delivery and
// whether its signature holds, and answers 204 (or 401 for a bad signature).
//   SECRET='whsec_...' node examples/webhook-receiver/receiver.mjs     (PORT=9999 by default)
import { createServer } from 'node:http';
import { verifyWebhook } from './verify-webhook.mjs';

const secret = process.env.SECRET;
if (!secret) {
  console.error('Set SECRET to the "secret" that POST /v1/hooks returned.');
  process.exit(1);
}
const port = Number(process.env.PORT ?? 9999);

createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    const ok = verifyWebhook(secret, req.headers, body);
    console.log(req.headers['webhook-id'], ok ? 'signature ok' : 'signature BAD', body);
    res.writeHead(ok ? 204 : 401).end();
  });
}).listen(port, () => console.log(`listening on http://localhost:${port}`));
