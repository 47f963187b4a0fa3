/// JSON text exactly as JavaScript's `JSON.stringify` writes it. TinyBase hashes the stringified
/// form of every cell, so one character of difference (an escaped `/`, `1.0` for `1`) makes
/// peers' hashes disagree forever.
package enum JavaScriptJSON {
    /// `JSON.stringify(value)`. Object keys are written in JavaScript's own order for a parsed
    /// object: integer-like keys ascending, then the rest (whose original order a parsed
    /// dictionary no longer has) in code-point order.
    package static func stringify(_ value: JSONValue) -> String {
        var output = ""
        write(value, to: &output)
        return output
    }

    package static func write(_ value: JSONValue, to output: inout String) {
        switch value {
        case .null: output += "null"
        case .bool(let bool): output += bool ? "true" : "false"
        case .number(let number): output += self.number(number)
        case .string(let string): writeString(string, to: &output)
        case .array(let array):
            output += "["
            for (index, element) in array.enumerated() {
                if index > 0 { output += "," }
                write(element, to: &output)
            }
            output += "]"
        case .object(let object):
            output += "{"
            for (index, key) in orderedKeys(object).enumerated() {
                if index > 0 { output += "," }
                writeString(key, to: &output)
                output += ":"
                write(object[key]!, to: &output)
            }
            output += "}"
        }
    }

    /// A JSON string literal: `"` and `\` escaped, control characters as `\b \f \n \r \t` or
    /// `\u00xx`; `/`, non-ASCII, U+2028/9 and DEL stay as they are.
    package static func string(_ string: String) -> String {
        var output = ""
        writeString(string, to: &output)
        return output
    }

    package static func writeString(_ string: String, to output: inout String) {
        output += "\""
        // Most strings need no escape: appended whole (large stores write megabytes of them).
        var bytes = string
        if !bytes.withUTF8({ $0.contains(where: needsEscape) }) {
            output += string
            output += "\""
            return
        }
        var plainStart = string.unicodeScalars.startIndex
        let scalars = string.unicodeScalars
        var index = plainStart
        while index < scalars.endIndex {
            let scalar = scalars[index]
            let escape: String? =
                switch scalar.value {
                case 0x22: "\\\""
                case 0x5C: "\\\\"
                case 0x08: "\\b"
                case 0x0C: "\\f"
                case 0x0A: "\\n"
                case 0x0D: "\\r"
                case 0x09: "\\t"
                case 0..<0x20: "\\u00" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
                default: nil
                }
            if let escape {
                output.unicodeScalars.append(contentsOf: scalars[plainStart..<index])
                output += escape
                plainStart = scalars.index(after: index)
            }
            index = scalars.index(after: index)
        }
        output.unicodeScalars.append(contentsOf: scalars[plainStart..<scalars.endIndex])
        output += "\""
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == 0x22 || byte == 0x5C
    }

    /// UTF-8 bytes of `string(string)`, counted without writing it.
    package static func stringSize(_ string: String) -> Int {
        var string = string
        return string.withUTF8 { bytes in
            var size = 2 + bytes.count
            for byte in bytes where byte < 0x20 || byte == 0x22 || byte == 0x5C {
                switch byte {
                case 0x22, 0x5C, 0x08, 0x0C, 0x0A, 0x0D, 0x09: size += 1
                default: size += 5
                }
            }
            return size
        }
    }

    /// ECMAScript's Number::toString for a finite number: the shortest digits that round-trip,
    /// plain between 1e-6 and 1e21, exponent form (`1e+21`, `1.5e-7`) outside; `-0` is `0`.
    package static func number(_ number: Double) -> String {
        guard number.isFinite else { return "null" }
        if number == 0 { return "0" }
        let (digits, pointPosition) = shortestDigits(abs(number))
        let sign = number < 0 ? "-" : ""
        let k = digits.count
        let n = pointPosition
        if k <= n && n <= 21 {
            return sign + digits + String(repeating: "0", count: n - k)
        }
        if 0 < n && n <= 21 {
            let split = digits.index(digits.startIndex, offsetBy: n)
            return sign + digits[..<split] + "." + digits[split...]
        }
        if -6 < n && n <= 0 {
            return sign + "0." + String(repeating: "0", count: -n) + digits
        }
        let exponent = n - 1
        let exponentText = (exponent < 0 ? "-" : "+") + String(abs(exponent))
        if k == 1 { return sign + digits + "e" + exponentText }
        return sign + digits.prefix(1) + "." + digits.dropFirst() + "e" + exponentText
    }

    /// The significant digits of a positive finite number (no leading or trailing zeros) and
    /// the position of the decimal point relative to them: value = 0.DIGITS × 10^position.
    /// Swift's `description` already gives the shortest round-trip digits; only the layout differs.
    static func shortestDigits(_ number: Double) -> (digits: String, pointPosition: Int) {
        let text = number.description
        let parts = text.split(separator: "e", maxSplits: 1)
        let mantissa = parts[0]
        let exponent = parts.count > 1 ? Int(parts[1])! : 0
        let pieces = mantissa.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let integerPart = pieces[0]
        let fractionPart = pieces.count > 1 ? pieces[1] : ""
        var digits = Substring(integerPart + fractionPart)
        var pointPosition = integerPart.count + exponent
        while digits.first == "0" {
            digits = digits.dropFirst()
            pointPosition -= 1
        }
        while digits.last == "0" { digits = digits.dropLast() }
        return (String(digits), pointPosition)
    }

    /// JavaScript's property order for an object built by `JSON.parse`: array-index keys
    /// ascending, then the others.
    static func orderedKeys(_ object: [String: JSONValue]) -> [String] {
        var indexKeys: [(UInt32, String)] = []
        var otherKeys: [String] = []
        for key in object.keys {
            if let index = arrayIndex(key) { indexKeys.append((index, key)) } else { otherKeys.append(key) }
        }
        indexKeys.sort { $0.0 < $1.0 }
        otherKeys.sort {
            Array($0.unicodeScalars.map(\.value)).lexicographicallyPrecedes($1.unicodeScalars.map(\.value))
        }
        return indexKeys.map(\.1) + otherKeys
    }

    /// A canonical array index ("0", "17"; not "017" or "4294967295").
    private static func arrayIndex(_ key: String) -> UInt32? {
        guard let value = UInt32(key), value != UInt32.max, String(value) == key else { return nil }
        return value
    }
}
