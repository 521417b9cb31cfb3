// pg-boss on the same PostgreSQL as the wa-jdbc benchmark, doing the same work: producers send
// one job at a time (one insert and commit each, as the gateway enqueues one message per API
// call), never more than BACKLOG ahead; WORKERS workers fetch batches of 32 and complete them.
// Latency: from the send call to the completion of the job's batch.
// Usage: node bench.mjs MESSAGES WORKERS [PRODUCERS]
import { PgBoss } from 'pg-boss';
import pg from 'pg';

const messages = Number(process.argv[2] ?? 20000);
const workers = Number(process.argv[3] ?? 1);
const producers = Number(process.argv[4] ?? 2);
const BACKLOG = 2000;
const url = process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

// A fresh schema each run, as the wa-jdbc benchmark drops its own: the jobs of earlier runs leave dead
// rows behind (3.3 million in 951 MB after a dozen runs here), and pg-boss got slower run after run
// (1,347 -> 765 msg/s with 2 producers) on the bloated table.
const admin = new pg.Client({ connectionString: url });
await admin.connect();
await admin.query('DROP SCHEMA IF EXISTS pgboss_bench CASCADE');
await admin.end();

const boss = new PgBoss({ connectionString: url, schema: 'pgboss_bench', max: producers + workers + 2 });
boss.on('error', e => console.error('pg-boss error', e));
await boss.start();
const queue = 'bench';
await boss.deleteQueue(queue).catch(() => {});
await boss.createQueue(queue);

async function round(n, measure) {
  const sentAt = new Map();
  const latencies = [];
  let produced = 0;
  let done = 0;
  const t0 = process.hrtime.bigint();
  let finish;
  const finished = new Promise(r => { finish = r; });
  const ids = [];
  for (let w = 0; w < workers; w++) {
    ids.push(await boss.work(queue, { batchSize: 32, pollingIntervalSeconds: 0.5, burstWhenBatchFull: true },
      async jobs => {
        const now = process.hrtime.bigint();
        for (const j of jobs) {
          const s = sentAt.get(j.data.i);
          if (s !== undefined) { latencies.push(Number(now - s) / 1e6); sentAt.delete(j.data.i); }
        }
        done += jobs.length; // completed when this handler resolves (one statement per batch)
        if (done >= n) finish();
      }));
  }
  const producer = async () => {
    while (produced < n) {
      if (produced - done > BACKLOG) { await new Promise(r => setTimeout(r, 1)); continue; }
      const i = produced++;
      sentAt.set(i, process.hrtime.bigint());
      await boss.send(queue, { i, session: 's' + (i % 20), to: '+4917' + String(i % 100000).padStart(8, '0'),
        text: 'benchmark message ' + i });
    }
  };
  await Promise.all(Array.from({ length: producers }, producer));
  await finished;
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  for (const id of ids) { await boss.offWork(queue, { id }); }
  latencies.sort((a, b) => a - b);
  const pct = q => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  if (measure) {
    console.log(`RESULT pg-boss ${(await import('pg-boss/package.json', { with: { type: 'json' } })).default.version}`
      + ` workers=${workers} producers=${producers}: ${Math.round(n / seconds)} msg/s, latency p50 ${pct(0.5).toFixed(1)} ms`
      + ` p95 ${pct(0.95).toFixed(1)} ms p99 ${pct(0.99).toFixed(1)} ms (${n} messages, node ${process.version})`);
  }
}
await round(Math.min(2000, messages), false);
await round(messages, true);
await boss.stop({ graceful: false, wait: true });
