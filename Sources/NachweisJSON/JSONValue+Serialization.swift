extension JSONValue {
    /// Compact serialization: no white space, members in their stored order, numbers as their
    /// text, strings with the minimal escaping of RFC 8785 (`"`, `\`, control characters).
    public var compactText: String {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// The compact serialization as UTF-8 bytes.
    public var compactBytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(2048)  // a credential's size: growing from 256 reallocated and copied it three times
        write(into: &out)
        return out
    }

    func write(into out: inout [UInt8]) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .number(let n): out.append(contentsOf: n.text.utf8)
        case .string(let s): JSONValue.writeString(s, into: &out)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            // By position, each element read in place (binding them copied each: a retain and a release).
            for i in elements.indices {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                elements[i].write(into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let object):
            out.append(UInt8(ascii: "{"))
            let members = object.members
            for i in members.indices {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                JSONValue.writeString(members[i].key, into: &out)
                out.append(UInt8(ascii: ":"))
                members[i].value.write(into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    static func writeString(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        // Runs of bytes that need no escape are copied at once (most strings are one run).
        let done: Void? = s.utf8.withContiguousStorageIfAvailable { bytes in
            var start = 0
            for (i, b) in bytes.enumerated() where b < 0x20 || b == 0x22 || b == 0x5C {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i]))
                escape(b, into: &out)
                start = i + 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
        }
        if done == nil {
            for b in s.utf8 { if b < 0x20 || b == 0x22 || b == 0x5C { escape(b, into: &out) } else { out.append(b) } }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// One byte that must be escaped in a JSON string.
    static func escape(_ b: UInt8, into out: inout [UInt8]) {
        switch b {
        case 0x22: out.append(contentsOf: [0x5C, 0x22])
        case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
        case 0x08: out.append(contentsOf: [0x5C, UInt8(ascii: "b")])
        case 0x0C: out.append(contentsOf: [0x5C, UInt8(ascii: "f")])
        case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
        case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
        case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
        case 0..<0x20:
            let hex = Array("0123456789abcdef".utf8)
            out.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0xF)]])
        default: out.append(b)
        }
    }
}
