// Loaded with NODE_OPTIONS="--import <this file>" into every Node process of a build (pim, the
// Framework CLI, and each data loader, which inherit NODE_OPTIONS), to prove the build needs no
// network: any attempt to reach a host other than this machine is refused as if offline, and
// written as one JSON line to the file named by PIM_NETWORK_LOG, which the test reads.
import { appendFileSync } from "node:fs";
import dns from "node:dns";
import net from "node:net";

const logFile = process.env.PIM_NETWORK_LOG;
if (!logFile) throw new Error("block-network.mjs: set PIM_NETWORK_LOG to the file to log to.");

const LOOPBACK_NAMES = new Set(["localhost", "::1", "0:0:0:0:0:0:0:1", "[::1]"]);

function isLoopback(host) {
  return host === undefined || LOOPBACK_NAMES.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function record(kind, target) {
  const entry = { kind, target, pid: process.pid, argv: process.argv.slice(1, 3) };
  // Synchronous, so that a process about to exit still leaves its line.
  appendFileSync(logFile, `${JSON.stringify(entry)}\n`);
}

function refusal(host) {
  return Object.assign(new Error(`getaddrinfo ENOTFOUND ${host} (network blocked by the test)`), {
    code: "ENOTFOUND",
    hostname: host,
  });
}

// fetch() first, to log the URL rather than only the host its socket would reach.
const realFetch = globalThis.fetch;
globalThis.fetch = async function fetch(input, init) {
  const url = new URL(input instanceof Request ? input.url : String(input));
  if (/^(?:https?|wss?):$/.test(url.protocol) && !isLoopback(url.hostname)) {
    record("fetch", url.href);
    throw new TypeError("fetch failed", { cause: refusal(url.hostname) });
  }
  return realFetch(input, init);
};

// Every TCP and TLS connection, from http, https, net, tls and Node's own fetch (undici), goes
// through Socket.prototype.connect. As in Node itself, a truthy path means a Unix socket (such as
// tsx's IPC), which is local and passes.
const realConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function connect(...args) {
  const options = connectOptions(args);
  if (!options.path && !isLoopback(options.host ?? "localhost")) {
    record("connect", `${options.host}:${options.port}`);
    process.nextTick(() => this.destroy(refusal(options.host)));
    return this;
  }
  return realConnect.apply(this, args);
};

// net.connect passes its already normalised [options, callback] array; other callers pass
// (options, callback), (port, host, callback) or (path, callback).
function connectOptions(args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  if (typeof first === "object" && first !== null) return first;
  if (typeof first === "number" || /^\d+$/.test(String(first))) {
    return { port: Number(first), host: typeof args[1] === "string" ? args[1] : undefined };
  }
  return { path: String(first) };
}

// Name look-ups reveal an intended connection even when nothing connects afterwards.
const realLookup = dns.lookup;
dns.lookup = function lookup(hostname, ...rest) {
  if (isLoopback(hostname)) return realLookup.call(this, hostname, ...rest);
  record("dns", hostname);
  const callback = rest.at(-1);
  process.nextTick(() => callback(refusal(hostname)));
  return {};
};
const realPromiseLookup = dns.promises.lookup;
dns.promises.lookup = async function lookup(hostname, ...rest) {
  if (isLoopback(hostname)) return realPromiseLookup.call(this, hostname, ...rest);
  record("dns", hostname);
  throw refusal(hostname);
};
