// tsc does not emit the generated JavaScript: copy it (with its declarations) next to the compiled code.
import { cpSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
cpSync(join(root, 'src', 'gen'), join(root, 'dist', 'gen'), { recursive: true });
