#!/usr/bin/env node
// `npx nodegrad train <graph.json> ...`: runs the TypeScript CLI (engine/cli/main.ts) through tsx.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../engine/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
