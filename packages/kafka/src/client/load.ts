import { readFile } from 'node:fs/promises';
import { NotSupportedError } from '@ev/core';
import type { ClientConfig, KafkaClient, KafkaLibraryName } from './port.js';

const PLATFORMATIC = '@platformatic/kafka';
/** 2.12 is the release this adapter is tested with; 1.x acknowledged idempotent sends it had not stored. */
const PLATFORMATIC_MIN_VERSION = [2, 12] as const;
/** @platformatic/kafka 2.x's own engines. */
const PLATFORMATIC_MIN_NODE = [22, 22] as const;

const scope = { provider: 'kafka' };

/**
 * The client on the chosen library, imported only now: an application that picks one library needs
 * only that one installed.
 */
export async function loadClient(library: KafkaLibraryName, config: ClientConfig): Promise<KafkaClient> {
  if (library === 'kafkajs') {
    const { createKafkajsClient } = await import('./kafkajs/client.js');
    return createKafkajsClient(config);
  }
  await assertPlatformaticUsable();
  const { createPlatformaticClient } = await import('./platformatic/client.js');
  return createPlatformaticClient(config);
}

/** Whether this Node runs @platformatic/kafka 2.x. */
export function nodeRunsPlatformatic(): boolean {
  return atLeast(process.versions.node, PLATFORMATIC_MIN_NODE);
}

async function assertPlatformaticUsable(): Promise<void> {
  const node = process.versions.node;
  if (!nodeRunsPlatformatic()) {
    throw new NotSupportedError(
      `the Kafka client "platformatic" (${PLATFORMATIC}) needs Node ${PLATFORMATIC_MIN_NODE.join('.')} or later, ` +
        `and this is Node ${node}: upgrade Node, or use the default client, kafkajs`,
      scope,
    );
  }
  const version = await installedVersion(PLATFORMATIC);
  const wanted = `${PLATFORMATIC}@^${PLATFORMATIC_MIN_VERSION.join('.')}`;
  if (version === undefined) {
    throw new NotSupportedError(
      `the Kafka client "platformatic" needs the ${PLATFORMATIC} package: install it with \`npm install ${wanted}\``,
      scope,
    );
  }
  if (!atLeast(version, PLATFORMATIC_MIN_VERSION) || !version.startsWith('2.')) {
    throw new NotSupportedError(
      `the Kafka client "platformatic" needs ${wanted}, and ${PLATFORMATIC} ${version} is installed: ` +
        `install it with \`npm install ${wanted}\``,
      scope,
    );
  }
}

/** The version of an installed package, or undefined when it cannot be found from here. */
async function installedVersion(name: string): Promise<string | undefined> {
  let entry: string;
  try {
    entry = import.meta.resolve(name);
  } catch {
    return undefined;
  }
  // The package exports only its entry point: its package.json is read from the folder above dist.
  for (let folder = new URL('.', entry); ; folder = new URL('..', folder)) {
    try {
      const manifest = JSON.parse(await readFile(new URL('package.json', folder), 'utf8'));
      if (manifest.name === name) return String(manifest.version);
    } catch {
      // no package.json here: look one folder up
    }
    if (new URL('..', folder).href === folder.href) return undefined; // the root
  }
}

/** Whether a version's major and minor are at least the given ones. */
function atLeast(version: string, [major, minor]: readonly [number, number]): boolean {
  const [givenMajor = 0, givenMinor = 0] = version.split('.').map(Number);
  return givenMajor > major || (givenMajor === major && givenMinor >= minor);
}
