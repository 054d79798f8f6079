// The baseline every figure is divided by: a bare node:http server that checks a bearer
// token (constant time, as the real server does) and answers a fixed ~300-byte SCIM User.
// It runs in its own process, pinned like the server under test, so the ratio compares
// the two servers on equal terms. Usage: node bench/baseline-server.js PORT TOKEN
import { createServer } from 'node:http';
import { createHash, timingSafeEqual } from 'node:crypto';

const [port, token] = process.argv.slice(2);
const expected = createHash('sha256').update(token).digest();
const body = Buffer.from(
  JSON.stringify({
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    id: '2819c223-7f76-453a-919d-413861904646',
    externalId: 'ext-1',
    userName: 'bench.user.1@example.com',
    name: { givenName: 'Given1', familyName: 'Family1' },
    displayName: 'Bench User 1',
    emails: [{ value: 'bench.user.1@example.com', type: 'work', primary: true }],
    active: true,
    meta: { resourceType: 'User', version: 'W/"1"' },
  }),
);

function authorised(header) {
  if (typeof header !== 'string' || !header.startsWith('Bearer ')) return false;
  const given = createHash('sha256').update(header.slice(7)).digest();
  return timingSafeEqual(given, expected);
}

createServer((req, res) => {
  if (!authorised(req.headers.authorization)) {
    res.writeHead(401).end();
    return;
  }
  // Drain any request body so PATCH/POST scenarios could be pointed here too.
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/scim+json', 'content-length': body.length });
    res.end(body);
  });
}).listen(Number(port), '127.0.0.1', () => process.send?.('ready'));
