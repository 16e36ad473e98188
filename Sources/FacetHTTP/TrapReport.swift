import Foundation
import Synchronization

/// A Swift runtime trap (overflow, a failed precondition) cannot be caught, and it ends the
/// process. What it must not do is end it silently: every request in flight is written to
/// stderr from the signal handler, so the log names the request that killed the server.
/// Slots are preallocated plain bytes because a signal handler may not allocate or lock.
public enum TrapReport {
    static let slotCount = 256
    static let slotWidth = 256

    nonisolated(unsafe) static let lines = UnsafeMutablePointer<UInt8>.allocate(capacity: slotCount * slotWidth)
    /// The handlers that were there before (Swift's own backtracer), indexed by signal number.
    nonisolated(unsafe) static let previous = UnsafeMutablePointer<sigaction>.allocate(capacity: 65)
    private static let free = Mutex<[Int]>(Array((0..<slotCount).reversed()))
    private static let installed = Atomic<Bool>(false)

    /// Installs the handler once per process.
    public static func install() {
        guard !installed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        lines.initialize(repeating: 0, count: slotCount * slotWidth)
        previous.initialize(repeating: sigaction(), count: 65)
        for signal in [SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGFPE, SIGABRT] {
            var action = sigaction()
            action.__sigaction_handler.sa_sigaction = trapped
            action.sa_flags = SA_SIGINFO
            sigemptyset(&action.sa_mask)
            sigaction(signal, &action, previous + Int(signal))
        }
    }

    /// Marks a request as in flight; `finish` with the returned slot when it is answered.
    /// nil when every slot is taken (the request is then simply not reported).
    public static func begin(_ line: String) -> Int? {
        guard installed.load(ordering: .relaxed), let slot = free.withLock({ $0.popLast() }) else { return nil }
        let bytes = Array(line.utf8.prefix(slotWidth - 1))
        let start = lines + slot * slotWidth
        for (i, b) in bytes.enumerated() where i > 0 { start[i] = b }
        start[bytes.count] = 0
        // The first byte last: the handler treats a slot as live once it is non-zero.
        start[0] = bytes.first ?? UInt8(ascii: "?")
        return slot
    }

    public static func finish(_ slot: Int?) {
        guard let slot else { return }
        lines[slot * slotWidth] = 0
        free.withLock { $0.append(slot) }
    }
}

private func trapped(_ signal: Int32, _ info: UnsafeMutablePointer<siginfo_t>?, _ context: UnsafeMutableRawPointer?) {
    func say(_ text: StaticString) { _ = write(2, text.utf8Start, text.utf8CodeUnitCount) }
    say("\nfacet: fatal signal while handling these requests (a runtime trap; the server must be restarted):\n")
    for slot in 0..<TrapReport.slotCount {
        let start = TrapReport.lines + slot * TrapReport.slotWidth
        guard start[0] != 0 else { continue }
        var length = 0
        while length < TrapReport.slotWidth, start[length] != 0 { length += 1 }
        say("  in flight: ")
        _ = write(2, start, length)
        say("\n")
    }
    // Hand the signal to whoever had it before (Swift's backtracer, or the default action): a
    // faulting instruction faults again when this returns; a raised signal is raised again.
    // A signal sent by kill() (si_code ≤ 0) or raised has no instruction to fault again.
    sigaction(signal, TrapReport.previous + Int(signal), nil)
    if signal == SIGABRT || signal == SIGTRAP || (info?.pointee.si_code ?? 0) <= 0 { raise(signal) }
}
