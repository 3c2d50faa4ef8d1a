// Helper engines in Node's worker threads, for data-parallel fit (team.js). Loaded by the
// library only in Node, by a specifier built at run time so that bundlers leave it out.
import { MessageChannel, Worker } from 'node:worker_threads';

// Starts `count` helper threads; onStopped(index) is called when one exits. Resolves with
// {ports (to pass to Core.setTeam), stop()}.
export async function startHelpers(count, { engineDir, simd } = {}, onStopped = () => {}) {
  const threads = await Promise.all(
    Array.from({ length: count }, async (_, index) => {
      const { port1, port2 } = new MessageChannel();
      const thread = new Worker(new URL('node_helper.js', import.meta.url), {
        workerData: { port: port2, engineDir, simd },
        transferList: [port2],
        // Not the program's own flags: a thread refuses some (--input-type of node -e).
        execArgv: [],
      });
      await new Promise((resolve, reject) => {
        thread.once('message', resolve);
        thread.once('error', reject);
      });
      thread.on('exit', () => onStopped(index));
      // Neither keeps the process alive by itself; a waiting share holds it (team.js).
      thread.unref();
      port1.unref();
      return { thread, port: port1 };
    }),
  );
  return {
    ports: threads.map((t) => t.port),
    stop: () => threads.forEach((t) => t.thread.terminate()),
  };
}
