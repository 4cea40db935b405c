// PostGraphile 5 calls Promise.withResolvers, which Node 20 lacks (it arrived in Node 22). Imported
// before anything else in the PostGraphile child so the method exists when its modules load.

interface Resolvers<T> {
  promise: Promise<T>
  resolve: (value: T | PromiseLike<T>) => void
  reject: (reason?: unknown) => void
}

const promiseConstructor = Promise as unknown as { withResolvers?: <T>() => Resolvers<T> }

promiseConstructor.withResolvers ??= <T>(): Resolvers<T> => {
  let resolve!: (value: T | PromiseLike<T>) => void
  let reject!: (reason?: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}
