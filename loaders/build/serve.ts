import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import sirv from "sirv";

export interface SiteServer {
  /** The site's address with a trailing slash, such as "http://127.0.0.1:3000/". */
  url: string;
  /** Stops listening and drops open connections (a browser keeps some alive). */
  close(): Promise<void>;
}

/**
 * Serves a built site from `dir` on 127.0.0.1 only, so nothing is exposed to the network. Port 0
 * picks a free port. Range requests are answered, as DuckDB-WASM expects when it reads files.
 */
export async function serveSite(dir: string, port: number): Promise<SiteServer> {
  const notFound = join(dir, "404.html");
  const serve = sirv(dir, {
    // Files are looked up on each request, so a rebuild shows without restarting the server.
    dev: true,
    // Lets /step1 find step1.html, should a page link without the extension.
    extensions: ["html"],
    onNoMatch(_request, response) {
      response.statusCode = 404;
      if (!existsSync(notFound)) return void response.end("Not found");
      response.setHeader("Content-Type", "text/html; charset=utf-8");
      void readFile(notFound).then((html) => response.end(html));
    },
  });
  const server = createServer((request, response) => serve(request, response));

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });

  const { port: actualPort } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${actualPort}/`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
