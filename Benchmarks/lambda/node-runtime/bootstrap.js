// A Node.js custom runtime loop as sites like this run on Lambda today, with nothing but the
// built-in `http` module: GET /next, render a home page of the size Swiftlet's is (a counter in
// memory), POST the Function URL answer. The peer of Swiftlet's bootstrap in Benchmarks/lambda.
"use strict";
const http = require("http");
const [host, port] = process.env.AWS_LAMBDA_RUNTIME_API.split(":");
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const base = "/2018-06-01/runtime";
let visits = 0;

function call(method, path, body) {
  return new Promise((resolve, reject) => {
    const request = http.request({ host, port, method, path, agent, headers: body ? { "content-type": "application/json" } : {} }, (response) => {
      const chunks = [];
      response.on("data", (chunk) => chunks.push(chunk));
      response.on("end", () => resolve({ headers: response.headers, body: Buffer.concat(chunks) }));
    });
    request.on("error", reject);
    request.end(body);
  });
}

function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

function page(count, region) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Swiftlet</title>
<link rel="stylesheet" href="/assets/app.0123456789abcdef.css">
<script src="/assets/app.0123456789abcdef.js" defer></script>
</head>
<body>
<main class="card">
<h1>Hello from ${escape(region)}</h1>
<p class="count">This page has been visited <strong>${count}</strong> times.</p>
<ul class="regions"><li><span>${escape(region)}</span> <strong>${count}</strong></li></ul>
<p class="note">Served by a Node.js custom runtime on AWS Lambda, counting visits in memory, with a page
of about the size Swiftlet renders, so that the two runtimes do the same work per invocation: read the
event, count, render a template, answer the Function URL. Lorem ipsum dolor sit amet, consectetur
adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. Ut enim ad minim
veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat. Duis aute
irure dolor in reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla pariatur. Excepteur
sint occaecat cupidatat non proident, sunt in culpa qui officia deserunt mollit anim id est laborum.
Sed ut perspiciatis unde omnis iste natus error sit voluptatem accusantium doloremque laudantium,
totam rem aperiam, eaque ipsa quae ab illo inventore veritatis et quasi architecto beatae vitae dicta
sunt explicabo. Nemo enim ipsam voluptatem quia voluptas sit aspernatur aut odit aut fugit.</p>
<footer>Request handled at ${new Date().toISOString()}</footer>
</main>
</body>
</html>
`;
}

async function loop() {
  const region = process.env.AWS_REGION || "local";
  for (;;) {
    const next = await call("GET", `${base}/invocation/next`);
    const id = next.headers["lambda-runtime-aws-request-id"];
    let answer;
    try {
      const event = JSON.parse(next.body.toString("utf8"));
      if (event.requestContext && event.requestContext.http && event.requestContext.http.method === "GET" && event.rawPath === "/") {
        visits += 1;
        answer = { statusCode: 200, headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" }, cookies: [],
                   body: page(visits, region), isBase64Encoded: false };
      } else {
        answer = { statusCode: 404, headers: { "content-type": "text/plain" }, body: "not found", isBase64Encoded: false };
      }
    } catch (error) {
      await call("POST", `${base}/invocation/${id}/error`, JSON.stringify({ errorMessage: String(error), errorType: "Runtime.InvalidEvent", stackTrace: [] }));
      continue;
    }
    await call("POST", `${base}/invocation/${id}/response`, JSON.stringify(answer));
  }
}

process.on("SIGTERM", () => process.exit(0));
loop().catch((error) => { console.error(error); process.exit(1); });
