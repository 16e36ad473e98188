import FacetCore
import FacetHTTP

/// The one place where what went wrong becomes an HTTP status and the error body.
enum ErrorMapping {
    static func apiError(_ error: Error) -> APIError? {
        switch error {
        case let error as APIError:
            return error
        case let failure as ValidationFailure:
            return .validation(failure.field, failure.message)
        case is MoneyOverflow:
            return APIError(422, "amount_too_large", "The amounts are too large to compute.")
        case let error as DomainError:
            var mapped = APIError(status(of: error.kind), error.code, error.message, field: error.field)
            if let seconds = error.retryAfter { mapped.headers = [("retry-after", String(seconds))] }
            return mapped
        default:
            return nil
        }
    }

    static func status(of kind: DomainError.Kind) -> Int {
        switch kind {
        case .invalid: 422
        case .malformed: 400
        case .notFound: 404
        case .forbidden: 403
        case .conflict: 409
        case .tooLarge: 413
        case .unsupportedMedia: 415
        case .rateLimited: 429
        case .unavailable: 503
        }
    }
}
