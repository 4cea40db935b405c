// `npm run graphql` runs `sh -c "graphql-auto-gen serve"`. A SIGTERM to npm (a process manager,
// `docker stop` with npm as PID 1) reaches npm and sh, but sh does not pass it on: the server would
// keep running with no parent, holding its port and database. Under an npm script the server
// therefore watches its parent and stops as on SIGTERM once it is orphaned. Outside npm it does
// not: a server started in the background on purpose (`nohup …&`) must outlive its shell.

/** Starts watching when run by an npm script; `stop` is called once if the parent goes away. Returns the unwatch function. */
export function stopWhenOrphaned(
  stop: () => void,
  env: NodeJS.ProcessEnv = process.env,
  intervalMs = 500,
): () => void {
  if (env['npm_lifecycle_event'] === undefined) return () => undefined
  const parent = process.ppid
  const timer = setInterval(() => {
    if (process.ppid === parent) return
    clearInterval(timer)
    stop()
  }, intervalMs)
  // Never the reason the process stays alive.
  timer.unref()
  return () => clearInterval(timer)
}
