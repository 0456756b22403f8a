// A throwaway certificate authority and one server certificate for 127.0.0.1 / localhost, made with
// openssl, so the brokers can open TLS listeners for the tests. Files live in .brokers/tls:
// ca.pem (what clients trust), server.pem + server.key, and server.p12 for the JVM brokers.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { log, mustRun } from './util.mjs';

export const tlsDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '.brokers', 'tls');
/** Protects the PKCS#12 keystore; a test fixture, not a secret. */
export const KEYSTORE_PASSWORD = 'ev-test-keystore';

export function ensureCertificates() {
  const file = (name) => join(tlsDir, name);
  if (existsSync(file('server.p12'))) return tlsDir;
  mkdirSync(tlsDir, { recursive: true });
  log('generating a test CA and a server certificate for 127.0.0.1');
  const days = '3650';
  mustRun('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    days,
    '-subj',
    '/CN=ev test CA',
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.pem'),
  ]);
  mustRun('openssl', [
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=localhost',
    '-keyout',
    file('server.key'),
    '-out',
    file('server.csr'),
  ]);
  writeFileSync(
    file('server.ext'),
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n',
  );
  mustRun('openssl', [
    'x509',
    '-req',
    '-in',
    file('server.csr'),
    '-CA',
    file('ca.pem'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-days',
    days,
    '-extfile',
    file('server.ext'),
    '-out',
    file('server.pem'),
  ]);
  mustRun('openssl', [
    'pkcs12',
    '-export',
    '-in',
    file('server.pem'),
    '-inkey',
    file('server.key'),
    '-certfile',
    file('ca.pem'),
    '-name',
    'server',
    '-out',
    file('server.p12'),
    '-passout',
    `pass:${KEYSTORE_PASSWORD}`,
  ]);
  return tlsDir;
}
