// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Facet",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "facet", targets: ["facet"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/vapor/routing-kit", from: "4.9.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.0.0"),
    ],
    targets: [
        .systemLibrary(name: "CLibWebSockets", pkgConfig: "libwebsockets",
                       providers: [.apt(["libwebsockets-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CImageCodecs",
                       providers: [.apt(["libturbojpeg0-dev", "libpng-dev", "libwebp-dev", "libheif-dev", "libgif-dev"])]),
        // OpenCV's dnn module (Debian libopencv-dnn-dev, no pkg-config file) runs the learned
        // embedder's ONNX model behind a C interface. Its resize loop is optimised in debug
        // builds too (the test suite's server is a debug build).
        .target(name: "COpenCVDNN",
                cxxSettings: [.unsafeFlags(["-I/usr/include/opencv4", "-O2"])],
                linkerSettings: [.linkedLibrary("opencv_dnn"), .linkedLibrary("opencv_core")]),
        .target(name: "FacetCore"),
        // Pixel and vector loops are 20-50× slower unoptimised; debug builds (and so the test
        // suite's server) optimise these two modules too.
        .target(name: "FacetVision", dependencies: ["FacetCore", "CImageCodecs", "COpenCVDNN"],
                swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]),
        .target(name: "FacetMatching", dependencies: ["FacetCore", "FacetVision"],
                swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]),
        .target(name: "FacetSeeds"),
        .target(name: "FacetStore", dependencies: [
            "FacetCore",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "_CryptoExtras", package: "swift-crypto"),
        ]),
        .target(name: "FacetSourcing", dependencies: [
            "FacetCore", "FacetStore", "CCurl",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
        ]),
        // The search run: stages, offers, tier-2 orchestration. Knows nothing of HTTP.
        .target(name: "FacetSearch", dependencies: [
            "FacetCore", "FacetVision", "FacetMatching", "FacetStore", "FacetSourcing", "FacetCommerce",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
        ]),
        // The buyer's workspace and (next) quotes and orders. Knows nothing of HTTP or of how offers are built.
        .target(name: "FacetCommerce", dependencies: [
            "FacetCore", "FacetStore",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        // The operations console's reading and its staff workflows: the dashboard's work counts,
        // analytics, approvals, the audit log. Reads across the store; knows nothing of HTTP.
        .target(name: "FacetOperations", dependencies: [
            "FacetCore", "FacetStore",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        // The transport: libwebsockets, requests and responses, the router, multipart, WebSocket fan-out.
        .target(name: "FacetHTTP", dependencies: [
            "FacetCore", "CLibWebSockets",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "RoutingKit", package: "routing-kit"),
        ]),
        .target(name: "FacetServer", dependencies: [
            "FacetCore", "FacetStore", "FacetSourcing", "FacetSearch", "FacetCommerce", "FacetOperations", "FacetHTTP", "CCurl",
            // FacetSearch re-exports vision types whose module map names the codecs.
            "CImageCodecs",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
        ]),
        .target(name: "FacetSimulators", dependencies: [
            "FacetCore", "FacetHTTP", "FacetSourcing", "FacetSeeds",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .executableTarget(name: "facet", dependencies: [
            "FacetCore", "FacetStore", "FacetServer", "FacetSeeds", "FacetSourcing", "FacetSimulators", "FacetVision",
            "FacetMatching", "FacetSearch", "FacetHTTP", "CLibWebSockets",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "FacetCoreTests", dependencies: ["FacetCore"]),
        .testTarget(name: "FacetStoreTests", dependencies: ["FacetStore"]),
        .testTarget(name: "FacetHTTPTests", dependencies: ["FacetHTTP", "FacetCore"]),
        .testTarget(name: "FacetServerTests", dependencies: ["FacetServer", "FacetHTTP", "FacetStore", "FacetCore", "FacetSearch", "FacetCommerce",
                                                          "FacetOperations", "FacetVision"]),
        .testTarget(name: "FacetSeedsTests", dependencies: ["FacetSeeds"]),
        .testTarget(name: "FacetSourcingTests", dependencies: ["FacetSourcing", "FacetStore", "FacetCore"], exclude: ["Fixtures"]),
        .testTarget(name: "FacetMatchingTests", dependencies: ["FacetMatching", "FacetVision", "FacetCore"]),
        .testTarget(name: "FacetVisionTests", dependencies: ["FacetVision", "CImageCodecs"]),
    ],
    cxxLanguageStandard: .cxx17
)
