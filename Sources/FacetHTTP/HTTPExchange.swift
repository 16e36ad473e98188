/// One HTTP request/response on a connection, owned by the service thread.
final class HTTPExchange {
    enum Phase { case readingBody, handling, headers, body, done }

    let serial: UInt64
    var request: HTTPRequest
    var expectedLength: Int
    var phase: Phase
    var response: HTTPResponse?
    var sent = 0
    let started = ContinuousClock.now

    init(serial: UInt64, request: HTTPRequest, expectedLength: Int, phase: Phase) {
        self.serial = serial
        self.request = request
        self.expectedLength = expectedLength
        self.phase = phase
    }
}
