// A static web server for the test's package mirror, started inside the
// test's network namespace (bound to 127.0.0.1 there). Logs every request to
// the access log. MODE 'key-only' serves Release.key and answers 503 for
// everything else: a mirror that fails after the key download.
'use strict';
const fs = require('fs');
const http = require('http');
const path = require('path');

const [root, port, accessLog, mode, readyFile] = process.argv.slice(2);
const server = http.createServer((req, res) => {
  const urlPath = decodeURIComponent(new URL(req.url, 'http://mirror').pathname);
  const file = path.join(root, urlPath);
  let status = 200;
  if (mode === 'key-only' && !urlPath.endsWith('/Release.key')) {
    status = 503;
  } else if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
    status = 404;
  }
  fs.appendFileSync(accessLog, `${req.method} ${urlPath} ${status}\n`);
  if (status !== 200) {
    res.writeHead(status, { 'Content-Type': 'text/plain' });
    res.end(`${status}\n`);
    return;
  }
  res.writeHead(200, { 'Content-Length': fs.statSync(file).size, 'Content-Type': 'application/octet-stream' });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  fs.createReadStream(file).pipe(res);
});
server.listen(Number(port), '127.0.0.1', () => fs.writeFileSync(readyFile, 'ready\n'));
