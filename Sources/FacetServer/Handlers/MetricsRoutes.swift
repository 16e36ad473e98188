import FacetCore
import FacetHTTP
import FacetStore
import Foundation
import Prometheus

/// `GET /metrics` in Prometheus text format, for a scraper on this machine or for staff.
enum MetricsRoutes {
    static func register(_ routes: Routes) {
        routes.everyone.get("/metrics", metrics)
    }

    /// Loopback (the usual scraper beside the server) or a staff session; behind a
    /// `--trusted-proxy` the forwarded client address decides, so the proxy does not make
    /// every visitor look local.
    static func allowed(_ context: RequestContext) throws {
        let address = context.request.remoteAddress
        if address == "127.0.0.1" || address == "::1" || address.hasPrefix("127.") || address == "::ffff:127.0.0.1" { return }
        guard let user = context.user else { throw APIError.unauthorized }
        guard user.role.isStaff else { throw APIError.forbidden("Metrics are for Facet staff.") }
    }

    @Sendable static func metrics(_ context: RequestContext) async throws -> HTTPResponse {
        try allowed(context)
        refreshGauges(context.services)
        var response = HTTPResponse(status: 200, contentType: "text/plain; version=0.0.4; charset=utf-8")
        response.body = FacetMetrics.registry.emitToBuffer()
        return response
    }

    /// States read at scrape time.
    static func refreshGauges(_ services: Services) {
        let registry = FacetMetrics.registry
        registry.makeGauge(name: "facet_websocket_sessions", help: "Open WebSocket sessions.")
            .set(Double(services.webSockets.withLock { $0 }()))
        registry.makeGauge(name: "facet_search_queue_depth", help: "Jobs waiting for a compute thread (decode, analysis, matching).")
            .set(Double(services.search.queueDepth))
        registry.makeGauge(name: "facet_searches_in_flight", help: "Searches between upload and done.")
            .set(Double(services.search.buyerSlots.total))
        if let sourcing = services.sourcing, let health = try? sourcing.monitor.health() {
            for brand in health {
                registry.makeGauge(name: "facet_sync_lag_seconds", labels: [("brand", brand.brand)],
                                   help: "Seconds since the brand's last successful sync (-1: never).")
                    .set(Double(brand.lagSeconds ?? -1))
            }
        }
    }
}
