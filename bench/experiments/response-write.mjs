// What sending a list page's bytes costs a Node server, apart from everything else (bench/README.md, "Seventh
// session"): a node:http server answers the same JSON (SIZE bytes, 46,000 by default: a page of 50 records) as a
// string or as a Buffer (Express sends bodies of 1,000 characters or more as a Buffer), to 50 autocannon clients
// for 8 s; it prints the server's CPU per response. Not part of `npm run bench`.
//   node bench/experiments/response-write.mjs string|buffer
import { Buffer } from 'node:buffer';
import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';

const size = Number(process.env.SIZE ?? 46000);
const mode = process.argv[2] === 'buffer' ? 'buffer' : 'string';

if (process.argv[3] === 'server') {
  const page = JSON.stringify({
    items: Array.from({ length: Math.ceil(size / 920) }, (_, i) => ({
      id: i,
      text: 'x'.repeat(880),
    })),
  });
  const srv = createServer((_req, res) => {
    const s = JSON.stringify(JSON.parse(page)); // the same work in both modes
    res.setHeader('content-type', 'application/json; charset=utf-8');
    if (mode === 'buffer') {
      const b = Buffer.from(s, 'utf8');
      res.setHeader('content-length', b.length);
      res.end(b);
    } else {
      res.setHeader('content-length', Buffer.byteLength(s));
      res.end(s);
    }
  });
  let from;
  process.on('message', (m) => {
    if (m === 'start') from = process.cpuUsage();
    else {
      process.send(process.cpuUsage(from));
      process.exit(0);
    }
  });
  srv.listen(0, '127.0.0.1', () => process.send({ port: srv.address().port }));
} else {
  const { default: autocannon } = await import('autocannon');
  const server = fork(fileURLToPath(import.meta.url), [mode, 'server']);
  const { port } = await new Promise((r) => server.once('message', r));
  const url = `http://127.0.0.1:${port}`;
  await autocannon({ url, connections: 50, duration: 2 });
  server.send('start');
  const r = await autocannon({ url, connections: 50, duration: 8 });
  const cpu = new Promise((resolve) => server.once('message', resolve));
  server.send('stop');
  const { user, system } = await cpu;
  const per = (us) => Math.round(us / r.requests.total);
  console.log(
    `${mode} ${size} bytes: ${Math.round(r.requests.average)} responses/s, server CPU ${per(user + system)} µs a response (user ${per(user)}, system ${per(system)})`,
  );
  process.exit(0);
}
