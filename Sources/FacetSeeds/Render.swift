import Foundation

/// How to render the world's images.
public struct RenderOptions: Sendable {
    /// Re-render images that already exist.
    public var force = false
    /// Number of povray processes at a time.
    public var jobs = 1
    /// Threads per povray process (0: povray's default, all cores).
    public var threadsPerJob = 0
    public var width = 320
    public var height = 320
    /// Anti-aliasing threshold (povray +A), depth (+R) and method (+AM, 2 = adaptive).
    public var antialias = "0.5"
    public var antialiasDepth = 1
    public var antialiasMethod = 2
    public var jpegQuality = 82
    /// Only render images whose path contains this string (nil: all).
    public var filter: String? = nil
    /// Stop after this many renders (nil: no limit).
    public var limit: Int? = nil
    /// Scene directory; nil means `<seeds>/scenes`.
    public var scenesDirectory: URL? = nil
    public var povray = "povray"
    public var convert = "convert"

    public init() {}
}

public struct RenderReport: Sendable {
    public var total: Int
    public var rendered: Int
    public var skipped: Int
    public var failed: [String]
    public var seconds: Double
}

public enum RenderError: Error, CustomStringConvertible {
    case toolMissing(String)
    case failed(String, String)

    public var description: String {
        switch self {
        case .toolMissing(let t): "\(t) is not installed (apt-get install povray imagemagick)"
        case .failed(let path, let log): "rendering \(path) failed:\n\(log)"
        }
    }
}

final class RenderState: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    var rendered = 0
    var failed: [String] = []

    func take(_ count: Int) -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard next < count else { return nil }
        next += 1
        return next - 1
    }

    func finish(_ path: String, ok: Bool) -> Int {
        lock.lock(); defer { lock.unlock() }
        if ok { rendered += 1 } else { failed.append(path) }
        return rendered + failed.count
    }
}

/// Renders the images listed in seeds/catalog/images.jsonl with POV-Ray and ImageMagick.
public enum SceneRenderer {
    /// Images of the index that still need rendering (all of them with `force`).
    public static func pending(seedsDirectory: URL, options: RenderOptions) throws -> (all: Int, todo: [ImageRecord]) {
        let records = try loadImageIndex(seedsDirectory: seedsDirectory)
        var todo = records.filter { r in options.filter.map { r.path.contains($0) } ?? true }
        if !options.force {
            todo = todo.filter { !FileManager.default.fileExists(atPath: imageURL($0, seedsDirectory: seedsDirectory).path) }
        }
        // Every product's first photo before any second one, so a partial run is still useful.
        todo = todo.enumerated().sorted { ($0.element.viewIndex, $0.offset) < ($1.element.viewIndex, $1.offset) }.map(\.element)
        if let limit = options.limit { todo = Array(todo.prefix(limit)) }
        return (records.count, todo)
    }

    public static func render(seedsDirectory: URL, options: RenderOptions,
                              progress: (@Sendable (_ done: Int, _ total: Int, _ path: String) -> Void)? = nil) throws -> RenderReport {
        for tool in [options.povray, options.convert] where !toolExists(tool) { throw RenderError.toolMissing(tool) }
        let start = Date()
        let (all, todo) = try pending(seedsDirectory: seedsDirectory, options: options)
        let scenes = (options.scenesDirectory ?? seedsDirectory.appendingPathComponent(SeedLayout.scenes)).standardizedFileURL
        let work = FileManager.default.temporaryDirectory
            .appendingPathComponent("facet-render-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }

        let state = RenderState()
        let jobs = max(1, options.jobs)
        let firstError = RenderState()
        DispatchQueue.concurrentPerform(iterations: jobs) { job in
            let dir = work.appendingPathComponent("job\(job)")
            try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            while let i = state.take(todo.count) {
                let record = todo[i]
                let out = imageURL(record, seedsDirectory: seedsDirectory)
                var ok = true
                do {
                    try renderOne(record, to: out, scenes: scenes, workDirectory: dir, options: options)
                } catch {
                    ok = false
                    if firstError.failed.isEmpty { _ = firstError.finish("\(error)", ok: false) }
                }
                let done = state.finish(record.path, ok: ok)
                progress?(done, todo.count, record.path)
            }
        }
        if state.rendered == 0, let e = firstError.failed.first, !todo.isEmpty {
            throw RenderError.failed(todo[0].path, e)
        }
        return RenderReport(total: all, rendered: state.rendered, skipped: all - todo.count, failed: state.failed,
                            seconds: Date().timeIntervalSince(start))
    }

    /// Renders one image: writes its scene file, runs povray to PNG, converts to JPEG.
    public static func renderOne(_ record: ImageRecord, to output: URL, scenes: URL, workDirectory dir: URL,
                                 options: RenderOptions) throws {
        let fm = FileManager.default
        let pov = dir.appendingPathComponent("scene.pov")
        let png = dir.appendingPathComponent("scene.png")
        let log = dir.appendingPathComponent("povray.log")
        try record.scene.povSource.write(to: pov, atomically: true, encoding: .utf8)
        try? fm.removeItem(at: png)
        var args = ["-D", "-V", "+W\(options.width)", "+H\(options.height)", "+A\(options.antialias)",
                    "+R\(options.antialiasDepth)", "+AM\(options.antialiasMethod)", "+FN", "+L\(scenes.path)", "+I\(pov.path)", "+O\(png.path)"]
        if options.threadsPerJob > 0 { args.append("+WT\(options.threadsPerJob)") }
        try run(options.povray, args, in: dir, log: log)
        guard fm.fileExists(atPath: png.path) else {
            throw RenderError.failed(record.path, (try? String(contentsOf: log, encoding: .utf8)) ?? "no output")
        }
        try fm.createDirectory(at: output.deletingLastPathComponent(), withIntermediateDirectories: true)
        let tmp = output.deletingLastPathComponent().appendingPathComponent("." + output.lastPathComponent + ".tmp")
        try run(options.convert, [png.path, "-strip", "-sampling-factor", "4:2:0", "-quality", "\(options.jpegQuality)",
                                  "jpg:" + tmp.path], in: dir, log: log)
        if fm.fileExists(atPath: output.path) { try fm.removeItem(at: output) }
        try fm.moveItem(at: tmp, to: output)
    }

    static func run(_ tool: String, _ args: [String], in dir: URL, log: URL) throws {
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        defer { try? handle.close() }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [tool] + args
        p.currentDirectoryURL = dir
        p.standardOutput = handle
        p.standardError = handle
        p.standardInput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        if p.terminationStatus != 0 {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            throw RenderError.failed(tool, String(text.suffix(2000)))
        }
    }

    static func toolExists(_ tool: String) -> Bool {
        if tool.contains("/") { return FileManager.default.isExecutableFile(atPath: tool) }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(tool)") }
    }
}
