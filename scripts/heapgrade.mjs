#!/usr/bin/env node
// The kit is TypeScript run as it is: register tsx, then hand over to the CLI.
import { register } from 'tsx/esm/api';

register();
await import('./cli.ts');
