// Differential fuzzing of SteppeData's DecimalParser against glibc's strtod.
//
// For every input:
// - parse(bytes) is non-nil exactly when strtod consumes the whole input (NUL-free, at
//   most 400 bytes), the input has no leading whitespace and is no hexadecimal float;
//   then both give the same Double, bit for bit (sign of zero and NaN payload aside:
//   any NaN matches any NaN).
// - For inputs in the decimal grammar [+-]?(D+(.D*)?|.D+)([eE][+-]?D+)? the result is
//   never nil.
// - parsePrefix(bytes), when it answers (v, end), has read a prefix that strtod reads
//   the same way: strtod of bytes[0..<end] consumes it all and gives v; when end is the
//   whole input, v is parse(bytes).
#if canImport(Glibc)
import Glibc
#endif
@testable import SteppeData
import FuzzerDriver

/// strtod on a NUL-terminated copy: the value and how many bytes it consumed.
func referenceStrtod(_ bytes: [UInt8]) -> (Double, Int) {
    var c = bytes.map { CChar(bitPattern: $0) }
    c.append(0)
    return c.withUnsafeMutableBufferPointer { p -> (Double, Int) in
        var end: UnsafeMutablePointer<CChar>? = nil
        let v = strtod(p.baseAddress!, &end)
        return (v, end! - p.baseAddress!)
    }
}

/// Whether `b` is in the decimal grammar the fast paths claim.
func inDecimalGrammar(_ b: [UInt8]) -> Bool {
    var i = 0
    let n = b.count
    func digit(_ k: Int) -> Bool { k < n && b[k] >= 48 && b[k] <= 57 }
    if i < n, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
    var digits = 0
    while digit(i) { i += 1; digits += 1 }
    if i < n, b[i] == UInt8(ascii: ".") {
        i += 1
        while digit(i) { i += 1; digits += 1 }
    }
    if digits == 0 { return false }
    if i < n, b[i] | 0x20 == UInt8(ascii: "e") {
        i += 1
        if i < n, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
        guard digit(i) else { return false }
        while digit(i) { i += 1 }
    }
    return i == n
}

func same(_ a: Double, _ b: Double) -> Bool { a.isNaN ? b.isNaN : a.bitPattern == b.bitPattern }

func fail(_ what: String, _ bytes: [UInt8]) -> Never {
    let shown = String(decoding: bytes, as: UTF8.self).debugDescription
    let message = "DecimalParser mismatch: \(what) for \(shown) (bytes \(bytes))\n"
    _ = message.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress!, $0.count - 1) }
    abort()
}

func isSpace(_ c: UInt8) -> Bool { c == 32 || (c >= 9 && c <= 13) }

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDecimal(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    let parsed = bytes.withUnsafeBufferPointer { DecimalParser.parse($0) }
    let eligible = !bytes.isEmpty && bytes.count <= 400 && !bytes.contains(0)
        && !isSpace(bytes[0]) && !bytes.contains(where: { $0 | 0x20 == UInt8(ascii: "x") })
    if eligible {
        let (reference, consumed) = referenceStrtod(bytes)
        if consumed == bytes.count {
            guard let parsed else { fail("nil, strtod gives \(reference)", bytes) }
            if !same(parsed, reference) { fail("\(parsed) (\(parsed.bitPattern)) but strtod \(reference) (\(reference.bitPattern))", bytes) }
        } else if let parsed {
            fail("\(parsed), but strtod consumes only \(consumed) of \(bytes.count) bytes", bytes)
        }
    } else if let parsed, bytes.count <= 400 {
        // Outside the reference's domain (whitespace, hex, NUL): the parser must refuse it
        // unless it is plain decimal text.
        if !inDecimalGrammar(bytes) { fail("\(parsed) for text outside the grammar", bytes) }
    }
    if inDecimalGrammar(bytes) && bytes.count <= 400 && parsed == nil { fail("nil for a decimal in the grammar", bytes) }
    if let (v, end) = bytes.withUnsafeBufferPointer({ DecimalParser.parsePrefix($0) }) {
        guard end > 0, end <= bytes.count else { fail("parsePrefix end \(end)", bytes) }
        let prefix = Array(bytes[0..<end])
        let (reference, consumed) = referenceStrtod(prefix)
        if consumed != end || !same(v, reference) {
            fail("parsePrefix \(v) to \(end), strtod \(reference) to \(consumed)", prefix)
        }
        if end == bytes.count, let parsed, !same(parsed, v) { fail("parsePrefix \(v) but parse \(parsed)", bytes) }
        if end == bytes.count, parsed == nil { fail("parsePrefix \(v) but parse nil", bytes) }
    }
    return 0
}

exit(steppe_fuzzer_main(CommandLine.argc, CommandLine.unsafeArgv) { fuzzDecimal($0, $1) })
