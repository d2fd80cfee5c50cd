import CZlib

/// gzip (RFC 1952) through the system zlib, with a bound on what decompression may produce (a hostile list must
/// not expand into gigabytes).
public enum Gzip {
    public static func compress(_ data: [UInt8]) -> [UInt8] {
        var stream = z_stream()
        // windowBits 15 + 16: a gzip wrapper rather than zlib's.
        guard deflateInit2_(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
                            Int32(MemoryLayout<z_stream>.size)) == Z_OK else { fatalError("zlib deflateInit2 failed") }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(data.count))) + 32)
        var input = data
        let written: Int = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                stream.next_in = inBuffer.baseAddress
                stream.avail_in = uInt(inBuffer.count)
                stream.next_out = outBuffer.baseAddress
                stream.avail_out = uInt(outBuffer.count)
                let status = deflate(&stream, Z_FINISH)
                precondition(status == Z_STREAM_END, "deflate with a deflateBound buffer must finish")
                return outBuffer.count - Int(stream.avail_out)
            }
        }
        return Array(output.prefix(written))
    }

    /// The decompressed bytes, or nil when the data is not gzip, is truncated or corrupt, or would exceed `limit`.
    public static func decompress(_ data: [UInt8], limit: Int) -> [UInt8]? {
        var stream = z_stream()
        guard inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return nil }
        defer { inflateEnd(&stream) }
        var input = data
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        let finished: Bool = input.withUnsafeMutableBufferPointer { inBuffer in
            stream.next_in = inBuffer.baseAddress
            stream.avail_in = uInt(inBuffer.count)
            while true {
                let (status, produced): (Int32, Int) = chunk.withUnsafeMutableBufferPointer { outBuffer in
                    stream.next_out = outBuffer.baseAddress
                    stream.avail_out = uInt(outBuffer.count)
                    let status = inflate(&stream, Z_NO_FLUSH)
                    return (status, outBuffer.count - Int(stream.avail_out))
                }
                result.append(contentsOf: chunk.prefix(produced))
                if result.count > limit { return false }
                switch status {
                case Z_STREAM_END: return stream.avail_in == 0  // trailing bytes after the member: refuse
                case Z_OK: if produced == 0 && stream.avail_in == 0 { return false }  // truncated
                default: return false
                }
            }
        }
        return finished ? result : nil
    }
}
