/**
 * What a node shows on {@code /metrics}: its own {@link io.prometheus.metrics.model.registry.PrometheusRegistry}
 * and everything registered in it, read from the counts the node keeps anyway, so that the
 * per-packet path does no extra work for them. {@code docs/metrics.md} lists every metric.
 */
package dev.dhcpcluster.bootstrap.metrics;
