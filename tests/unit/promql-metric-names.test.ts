import { describe, expect, it } from 'vitest';
import { promqlMetricNames } from '../helpers/promql-metric-names';

describe('promqlMetricNames', () => {
  it('finds the metrics of an aggregation over a histogram', () => {
    expect(
      promqlMetricNames(
        'histogram_quantile(0.99, sum by (le) (rate(watchfloor_receipt_to_enqueued_seconds_bucket[5m]))) > 1',
      ),
    ).toEqual(['watchfloor_receipt_to_enqueued_seconds_bucket']);
  });

  it('skips label matchers, keywords, numbers and Grafana variables', () => {
    expect(
      promqlMetricNames(
        '(sum(rate(a_total{reason="x y"}[$__rate_interval])) or vector(0)) + sum(b_total) > 0.7 * 4e9 ' +
          'and max by (queue) (deriv(c_gauge{role=~"$role"}[10m])) > 0',
      ),
    ).toEqual(['a_total', 'b_total', 'c_gauge']);
  });

  it("reads the selector of Grafana's label_values, not the label", () => {
    expect(promqlMetricNames('label_values(up{job=~"watchfloor-.*"}, role)')).toEqual(['up']);
  });

  it('sees a misspelt metric', () => {
    expect(promqlMetricNames('max(watchfloor_queue_dept) > 5')).toEqual(['watchfloor_queue_dept']);
  });
});
