#!/usr/bin/env node
// The pim command. The pipeline is TypeScript, run through tsx so that there is no compile step
// between editing a loader and running it, the same way Framework runs the site's data loaders.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../loaders/cli.ts");
process.exitCode = await main(process.argv);
