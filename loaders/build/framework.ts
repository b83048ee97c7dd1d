import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readdir, rm } from "node:fs/promises";
import { delimiter, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { bundleRules } from "./rules-bundle.ts";
import { vendorNpmCache } from "./vendor.ts";
import type { Log } from "../log.ts";

const PROJECT_DIR = fileURLToPath(new URL("../../", import.meta.url));
const SOURCE_ROOT = join(PROJECT_DIR, "src");
const BIN_DIR = join(PROJECT_DIR, "node_modules", ".bin");
const OBSERVABLE = join(BIN_DIR, "observable");

/**
 * Output that means the site is broken although `observable build` may still exit 0: a bundler
 * that cannot find a file (such as the tsconfig.json that vega-util's own tsconfig extends), an
 * error Framework prints and carries on from, or an attempt to reach the internet.
 */
const FAILURE_PATTERNS = [
  /\bnot found\b/i,
  /error\b/i,
  /unable to (?:fetch|resolve)/i,
  /fetch failed/i,
  /\b(?:ENOTFOUND|ECONNREFUSED|ECONNRESET|EAI_AGAIN|ENETUNREACH)\b/,
];

/**
 * Lines that match a failure pattern but are no failure: our loaders' own warnings (loaders.log
 * writes them as "warning: …"), which name a problem in the data and leave the decision to the
 * reader, and Framework's note that an output folder outside the project is not cleared.
 */
const ALLOWED_PATTERNS = [/^warning: /, /^Warning: the output root .* will not be cleared\.$/];

// Terminal colour codes, should Framework or a loader write them although the output is a pipe.
// eslint-disable-next-line no-control-regex
const ANSI_ESCAPE = /\u001b\[[0-9;]*m/g;

export interface FrameworkBuildOptions {
  /** Folder the site is written to: absolute, or relative to the project folder. */
  outDir: string;
  /** Environment for Framework and the data loaders it runs, on top of this process's own. */
  env: Record<string, string>;
  log: Log;
  /** A Framework config file other than observablehq.config.ts, relative to the project folder. */
  config?: string;
}

/**
 * Builds the site with `observable build`, from a cleared cache (Framework would reuse stale
 * loader output) refilled with the vendored npm libraries (so that it fetches nothing). Framework's
 * output goes to stderr as it comes. Rejects when the build fails, including the failures that
 * Framework reports but does not turn into an exit code.
 */
export async function runFrameworkBuild(options: FrameworkBuildOptions): Promise<void> {
  const { outDir, env, log, config } = options;
  const done = log.time();
  const siteDir = resolve(PROJECT_DIR, outDir);

  await rm(join(SOURCE_ROOT, ".observablehq", "cache"), { recursive: true, force: true });
  await vendorNpmCache(SOURCE_ROOT, log);
  await bundleRules(log);

  // Framework clears the output folder only inside the working folder, and clears whatever is
  // there; we clear it everywhere, but only when it holds nothing but an earlier build.
  await clearSiteDir(siteDir);

  const args = ["build", ...(config ? ["--config", config] : [])];
  await runObservable(args, {
    ...process.env,
    // Framework runs .ts data loaders with the `tsx` command, which npm scripts and npx find in
    // node_modules/.bin but `node bin/pim.js` does not.
    PATH: [BIN_DIR, process.env.PATH].filter(Boolean).join(delimiter),
    OBSERVABLE_TELEMETRY_DISABLE: "true",
    ...env,
    PIM_SITE_DIR: siteDir,
  });
  done(`built the site into ${outDir}`);
}

async function clearSiteDir(siteDir: string): Promise<void> {
  const refuse = (reason: string) =>
    new Error(`Refusing to build the site into ${siteDir}: ${reason}; choose another --out.`);
  if (!relative(siteDir, PROJECT_DIR).startsWith("..")) throw refuse("it holds the project");
  if (!relative(SOURCE_ROOT, siteDir).startsWith("..")) throw refuse("it is inside src/");
  if (!existsSync(siteDir)) return;

  const entries = await readdir(siteDir);
  if (entries.length > 0 && !entries.includes("_observablehq")) {
    throw refuse("it is not empty and holds no earlier build of the site");
  }
  await rm(siteDir, { recursive: true, force: true });
}

/** Runs Framework's command line, relaying its output to stderr and watching it for failures. */
function runObservable(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(OBSERVABLE, args, {
      cwd: PROJECT_DIR,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let failure: string | undefined;
    const watch = (stream: NodeJS.ReadableStream) => {
      let partial = "";
      stream.setEncoding("utf8");
      stream.on("data", (chunk: string) => {
        process.stderr.write(chunk);
        const lines = (partial + chunk).split("\n");
        partial = lines.pop() ?? "";
        for (const line of lines) failure ??= findFailure(line);
      });
      stream.on("end", () => (failure ??= findFailure(partial)));
    };
    watch(child.stdout);
    watch(child.stderr);

    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (code !== 0) {
        const how = signal ? `was stopped by ${signal}` : `exited with code ${code}`;
        reject(new Error(`observable build ${how}${failure ? `; it said: ${failure}` : ""}`));
      } else if (failure) {
        reject(new Error(`observable build exited 0 but reported a failure: ${failure}`));
      } else {
        resolvePromise();
      }
    });
  });
}

/** Returns the line, cleaned of colour codes, when it reports a failure. */
function findFailure(line: string): string | undefined {
  const text = line.replace(ANSI_ESCAPE, "").trim();
  if (ALLOWED_PATTERNS.some((pattern) => pattern.test(text))) return undefined;
  return FAILURE_PATTERNS.some((pattern) => pattern.test(text)) ? text : undefined;
}
