import COpenSSL
import CNachweisShim

/// A memory BIO owned for the length of one call.
final class MemoryBIO {
    let pointer: OpaquePointer

    /// An empty, writable BIO.
    init() throws(CryptoError) {
        guard let bio = BIO_new(BIO_s_mem()) else { throw .openSSL(.openSSLFailure, "BIO_new failed") }
        pointer = bio
    }

    deinit { BIO_free(pointer) }

    /// Runs body with a read-only BIO over bytes (OpenSSL copies nothing; bytes outlive the call).
    static func reading<R>(_ bytes: [UInt8], _ body: (OpaquePointer) throws(CryptoError) -> R) throws(CryptoError) -> R {
        let result: Result<R, CryptoError> = bytes.withUnsafeBytes { raw in
            guard raw.count <= Int(Int32.max), let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count)) else {
                return .failure(.openSSL(.openSSLFailure, "BIO_new_mem_buf failed"))
            }
            defer { BIO_free(bio) }
            do throws(CryptoError) { return .success(try body(bio)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// The bytes written so far.
    var contents: [UInt8] {
        var data: UnsafePointer<CChar>?
        let length = nw_bio_mem_contents(pointer, &data)
        guard length > 0, let data else { return [] }
        return data.withMemoryRebound(to: UInt8.self, capacity: length) { Array(UnsafeBufferPointer(start: $0, count: length)) }
    }
}
