const cluster = require("node:cluster");
const workers = Math.max(1, Number.parseInt(process.env.WEB_CONCURRENCY || "1", 10) || 1);
cluster.setupPrimary({ exec: require("node:path").resolve("server.js"), execArgv: [] });
let stopping = false;
const started = new Map();
const fork = () => { const w = cluster.fork(); started.set(w.id, Date.now()); };
const stopAll = (sig) => { stopping = true; for (const w of Object.values(cluster.workers)) w.process.kill(sig); };
for (let i = 0; i < workers; i++) fork();
console.log(`cluster: ${workers} workers running server.js`);
cluster.on("exit", (w, code, signal) => {
  if (stopping) return;
  const ranMs = Date.now() - started.get(w.id);
  started.delete(w.id);
  console.error(`cluster: worker ${w.process.pid} exited (${signal || code})`);
  if (ranMs < 10000) { process.exitCode = 1; stopAll("SIGTERM"); } else { fork(); }
});
for (const sig of ["SIGTERM", "SIGINT"]) process.on(sig, () => stopAll(sig));
