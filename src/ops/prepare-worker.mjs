// Worker entry (plain JS so it starts without a loader): registers tsx, then runs the TypeScript body.
import { tsImport } from 'tsx/esm/api';

await tsImport('./prepare-worker.ts', import.meta.url);
