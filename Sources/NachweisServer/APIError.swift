import Hummingbird
import NachweisJSON

/// A refused request: an HTTP status, a stable code and a message, sent as `{"error": code, "message": …}`.
public struct APIError: HTTPResponseError, CodedError {
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public static let missingToken = Code(rawValue: "auth.missing_token")
        public static let invalidToken = Code(rawValue: "auth.invalid_token")
        public static let forbidden = Code(rawValue: "auth.forbidden")
        public static let notFound = Code(rawValue: "request.not_found")
        public static let unsupportedMediaType = Code(rawValue: "request.unsupported_media_type")
        public static let tooLarge = Code(rawValue: "request.too_large")
        public static let invalidJSON = Code(rawValue: "request.invalid_json")
        public static let invalidField = Code(rawValue: "request.invalid_field")
        public static let unavailable = Code(rawValue: "server.unavailable")
    }

    public let status: HTTPResponse.Status
    public let code: Code
    public let message: String
    public let location: String

    public init(_ status: HTTPResponse.Status, _ code: Code, _ message: String, fileID: StaticString = #fileID, line: UInt = #line) {
        self.status = status
        self.code = code
        self.message = message
        self.location = "\(fileID):\(line)"
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body: JSONValue = ["error": .string(code.rawValue), "message": .string(message)]
        var headers: HTTPFields = [.contentType: "application/json"]
        if status == .unauthorized { headers[.wwwAuthenticate] = #"Bearer realm="nachweis""# }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body.compactText)))
    }
}
