#!/usr/bin/env node
// The `hebb` executable (package.json "bin"). The CLI is TypeScript run from source: tsx's
// loader is registered here, for this process only, and then cli/main.ts runs. This is why tsx
// is a runtime dependency; it saves shipping a second, compiled copy of the CLI and library.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
