import { Histogram } from 'prom-client'
import type { Registry } from 'prom-client'
import type { LabelValues, MetricObjectWithValues, MetricValueWithName } from 'prom-client'

/** One label set's observations: a count per bucket (not cumulative), their sum and their number. */
export class HistogramSet<T extends string> {
  readonly counts: number[]
  sum = 0
  count = 0

  constructor(
    readonly labels: LabelValues<T>,
    buckets: number,
  ) {
    this.counts = new Array<number>(buckets).fill(0)
  }
}

/** The object form of prom-client's `observe` (exemplars are not kept). */
type ObserveData<T extends string> = { labels?: LabelValues<T>; value: number }

/** What prom-client renders for one sample of a histogram (its `getForPromString` shape). */
type HistogramValue = MetricValueWithName<string> & {
  sharedLabels: LabelValues<string>
  exemplar: null | undefined
}

/**
 * A prom-client Histogram whose observations are counted per label set in plain arrays: the
 * caller keeps each label set's {@link HistogramSet} and observes into it, where prom-client's
 * `observe` hashes the labels, allocates closures and objects and keys buckets by the bound's text
 * on every call (a measurable share of a small query's CPU). Rendered (`/metrics`, `get()`) exactly
 * as prom-client renders its own histograms; `observe(labels, value)` counts here too.
 */
export class TalliedHistogram<T extends string> extends Histogram<T> {
  readonly #bounds: readonly number[]
  readonly #labelNames: readonly T[]
  readonly #name: string
  readonly #help: string
  /** Label sets by their values; prom-client's constructor resets before fields exist, hence `?`. */
  private sets?: Map<string, HistogramSet<T>>

  constructor(config: {
    name: string
    help: string
    labelNames: readonly T[]
    buckets: number[]
    registers: Registry[]
  }) {
    super(config)
    this.#bounds = [...config.buckets].sort((a, b) => a - b)
    this.#labelNames = config.labelNames
    this.sets = new Map()
    this.#name = config.name
    this.#help = config.help
    // prom-client's constructor sets `observe` on the instance: counted here instead.
    this.observe = (labels: LabelValues<T> | number | ObserveData<T>, value?: number): void => {
      if (typeof labels === 'number') return this.observe({}, labels)
      if (value === undefined && 'value' in labels) return this.observe(labels.labels ?? {}, labels.value)
      if (value === undefined || !Number.isFinite(value))
        throw new TypeError(`Value is not a valid number: ${String(value)}`)
      this.observeIn(this.labelSet(labels as LabelValues<T>), value)
    }
  }

  /** The label set's observations (made on first use; keep it and observe with {@link observeIn}). */
  labelSet(labels: LabelValues<T>): HistogramSet<T> {
    const key = this.#labelNames.map((name) => String(labels[name] ?? '')).join('\u0000')
    const sets = (this.sets ??= new Map())
    let set = sets.get(key)
    if (!set) sets.set(key, (set = new HistogramSet({ ...labels }, this.#bounds.length)))
    return set
  }

  /** Counts one observation of a label set. */
  observeIn(set: HistogramSet<T>, value: number): void {
    const bounds = this.#bounds
    let i = 0
    while (i < bounds.length && value > bounds[i]!) i++
    if (i < bounds.length) set.counts[i]! += 1
    set.sum += value
    set.count += 1
  }

  override reset(): void {
    this.sets?.clear()
  }

  /** What prom-client's registry renders (it prefers this to `get()`, as for its own histograms). */
  async getForPromString(): Promise<MetricObjectWithValues<MetricValueWithName<T>>> {
    const values: HistogramValue[] = []
    for (const set of this.sets?.values() ?? []) {
      let cumulative = 0
      this.#bounds.forEach((bound, i) => {
        cumulative += set.counts[i]!
        values.push(sample({ le: bound }, cumulative, `${this.#name}_bucket`, set.labels, null))
      })
      values.push(sample({ le: '+Inf' }, set.count, `${this.#name}_bucket`, set.labels, null))
      values.push(sample({}, set.sum, `${this.#name}_sum`, set.labels))
      values.push(sample({}, set.count, `${this.#name}_count`, set.labels))
    }
    return { name: this.#name, help: this.#help, type: 'histogram', values, aggregator: 'sum' } as never
  }

  override async get(): Promise<MetricObjectWithValues<MetricValueWithName<T>>> {
    const data = await this.getForPromString()
    // As prom-client's get(): each value's own labels after its label set's.
    const values = (data.values as HistogramValue[]).map(({ sharedLabels, labels, ...rest }) => ({
      ...rest,
      labels: { ...labels, ...sharedLabels },
    }))
    return { ...data, values } as never
  }
}

function sample(
  labels: LabelValues<string>,
  value: number,
  metricName: string,
  sharedLabels: LabelValues<string>,
  /** Buckets carry prom-client's (empty) exemplar. */
  exemplar?: null,
): HistogramValue {
  return { labels, sharedLabels, value, metricName, exemplar }
}
