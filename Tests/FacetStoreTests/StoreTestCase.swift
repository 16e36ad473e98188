import FacetStore
import Foundation
import XCTest

/// A fresh database in its own temporary folder for each test, removed after it.
class StoreTestCase: XCTestCase {
    var directory: URL!
    var database: FacetDatabase!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("facet-store-\(UUID().uuidString)")
        database = try FacetDatabase(dataDirectory: directory)
    }

    override func tearDownWithError() throws {
        database = nil
        try? FileManager.default.removeItem(at: directory)
    }
}
