import Foundation
import Metrics
import Prometheus
import Synchronization

/// The process's metrics. Modules record through swift-metrics (`Timer`, `Counter`); one
/// Prometheus registry behind the swift-metrics factory collects them, and `GET /metrics`
/// renders it. Values that are a state rather than an event (queue depth, open WebSockets,
/// sync lag) are read when scraped.
public enum FacetMetrics {
    public static let registry = PrometheusCollectorRegistry()
    private static let bootstrapped = Mutex(false)

    /// swift-metrics takes one factory per process; every server in the process shares it.
    public static func bootstrap() {
        bootstrapped.withLock { done in
            guard !done else { return }
            var factory = PrometheusMetricsFactory(registry: registry)
            factory.defaultDurationHistogramBuckets = [
                .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
                .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500),
                .seconds(5), .milliseconds(7500), .seconds(10), .seconds(20), .seconds(30),
            ]
            MetricsSystem.bootstrap(factory)
            done = true
        }
    }

    /// Request latency by route pattern (never the raw path, so ids do not multiply the series).
    static func recordRequest(method: String, route: String, status: Int, since start: ContinuousClock.Instant) {
        let (seconds, attoseconds) = (ContinuousClock.now - start).components
        Timer(label: "facet_http_request_duration_seconds",
              dimensions: [("method", method), ("route", route), ("status", "\(status / 100)xx")])
            .recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
