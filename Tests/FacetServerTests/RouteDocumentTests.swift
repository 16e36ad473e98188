@testable import FacetServer
import Foundation
import XCTest

/// Every route the router knows is documented in protocol/openapi.yaml, and every documented
/// operation is routed: the list comes from the router itself, not from a copy in this test.
final class RouteDocumentTests: XCTestCase {
    func testOpenAPIAndTheRouterAgree() throws {
        let app = try TestApp()
        let routed = Set(app.application.routes.map { "\($0.method.rawValue) \(Self.openAPIPath($0.path))" })
        let documented = try Self.documentedOperations()
        XCTAssertFalse(routed.isEmpty)
        XCTAssertEqual(routed.subtracting(documented).sorted(), [], "routed but not in protocol/openapi.yaml")
        XCTAssertEqual(documented.subtracting(routed).sorted(), [], "documented but not routed")
    }

    static func openAPIPath(_ pattern: String) -> String {
        pattern.split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
    }

    /// `paths:` entries are two-space keys, their operations four-space keys (the file's layout).
    static func documentedOperations() throws -> Set<String> {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("protocol/openapi.yaml"), encoding: .utf8)
        var operations = Set<String>()
        var inPaths = false
        var path: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("paths:") { inPaths = true; continue }
            if inPaths, let first = line.first, first != " ", first != "#" { inPaths = false }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), line.hasSuffix(":") { path = String(line.dropFirst(2).dropLast()); continue }
            let method = line.trimmingCharacters(in: .whitespaces).dropLast()
            if line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":"),
               ["get", "post", "put", "patch", "delete"].contains(String(method)), let path {
                operations.insert("\(method.uppercased()) \(path)")
            }
        }
        return operations
    }
}
