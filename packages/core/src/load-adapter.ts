import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AdapterNotInstalledError } from './errors.js';

/**
 * Imports an adapter package the application installed. A plain `import()` resolves from @ev/core's own
 * folder, which strict layouts (pnpm) isolate from the application's dependencies, so when that fails
 * the package is looked up from the application's entry script and from the working directory.
 */
export async function loadAdapter<T>(scheme: string, packageName: string): Promise<T> {
  try {
    // A variable specifier keeps bundlers and tsc from pulling in adapters the user did not install.
    return (await import(packageName)) as T;
  } catch (error) {
    if (!isNotFound(error, packageName)) throw error;
    const entry = findFromApplication(packageName);
    if (entry) return (await import(pathToFileURL(entry).href)) as T;
    throw new AdapterNotInstalledError(scheme, packageName, { cause: error });
  }
}

function isNotFound(error: unknown, packageName: string): boolean {
  const { code, message } = error as { code?: string; message?: string };
  return code === 'ERR_MODULE_NOT_FOUND' && String(message).includes(packageName);
}

function findFromApplication(packageName: string): string | undefined {
  const origins = [process.argv[1], join(process.cwd(), 'index.js')].filter((p): p is string => Boolean(p));
  for (const origin of origins) {
    try {
      const manifestPath = createRequire(resolve(origin)).resolve(`${packageName}/package.json`);
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { exports?: unknown; main?: string };
      const entry = esmEntry(manifest);
      if (entry) return join(dirname(manifestPath), entry);
    } catch {
      // not installed where this origin can see it: try the next one
    }
  }
  return undefined;
}

/** The `import` entry of a package's exports map (the shape every @ev package publishes). */
function esmEntry(manifest: { exports?: unknown; main?: string }): string | undefined {
  const root = (manifest.exports as Record<string, unknown> | undefined)?.['.'];
  if (typeof root === 'string') return root;
  const conditions = root as Record<string, unknown> | undefined;
  const target = conditions?.import ?? conditions?.default;
  if (typeof target === 'string') return target;
  const nested = (target as Record<string, unknown> | undefined)?.default;
  return typeof nested === 'string' ? nested : manifest.main;
}
