// The duration histogram counts in arrays but must render exactly as prom-client's own.
import { Histogram, Registry } from 'prom-client'
import { describe, expect, it } from 'vitest'
import { TalliedHistogram } from './talliedHistogram.js'

describe('TalliedHistogram', () => {
  const config = {
    name: 'test_duration_seconds',
    help: 'Durations.',
    labelNames: ['operation_type', 'outcome'] as const,
    buckets: [0.005, 0.01, 0.1, 1],
  }

  it('renders the text format and JSON exactly as prom-client histograms do', async () => {
    const theirs = new Registry()
    const ours = new Registry()
    const reference = new Histogram({ ...config, registers: [theirs] })
    const tallied = new TalliedHistogram({ ...config, registers: [ours] })
    const query = { operation_type: 'query', outcome: 'success' }
    // On a bound, between bounds, past the last one, and a second label set.
    for (const seconds of [0.001, 0.005, 0.0051, 0.5, 3]) {
      reference.observe(query, seconds)
      tallied.observe(query, seconds)
    }
    reference.observe({ operation_type: 'mutation', outcome: 'error' }, 0.02)
    tallied.observeIn(tallied.labelSet({ operation_type: 'mutation', outcome: 'error' }), 0.02)
    const text = await ours.metrics()
    expect(text).toBe(await theirs.metrics())
    expect(text).toContain(
      'test_duration_seconds_bucket{le="0.005",operation_type="query",outcome="success"} 2',
    )
    expect(text).toContain('test_duration_seconds_count{operation_type="query",outcome="success"} 5')
    expect(await ours.getMetricsAsJSON()).toEqual(await theirs.getMetricsAsJSON())
    tallied.reset()
    expect(await ours.metrics()).not.toContain('test_duration_seconds_count')
  })

  it('refuses a value that is not a finite number, as prom-client does', () => {
    const tallied = new TalliedHistogram({ ...config, registers: [new Registry()] })
    expect(() => tallied.observe({ operation_type: 'query', outcome: 'success' }, Number.NaN)).toThrow(
      TypeError,
    )
  })
})
