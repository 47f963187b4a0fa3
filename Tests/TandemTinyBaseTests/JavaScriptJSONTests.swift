import Testing

@testable import TandemTinyBase

/// Expected texts are what Node 20's `JSON.stringify` printed for the same inputs.
@Suite struct JavaScriptJSONTests {
    @Test(arguments: [
        (0.0, "0"), (-0.0, "0"), (1, "1"), (-1, "-1"), (2.5, "2.5"), (1e21, "1e+21"), (1e-7, "1e-7"),
        (1e-6, "0.000001"), (0.000001234, "0.000001234"), (1.2345678901234568e20, "123456789012345680000"),
        (1e16, "10000000000000000"), (0.1 + 0.2, "0.30000000000000004"), (Double.leastNonzeroMagnitude, "5e-324"),
        (1.7976931348623157e308, "1.7976931348623157e+308"), (-1.5, "-1.5"), (100, "100"), (1234.5678, "1234.5678"),
        (1e20, "100000000000000000000"), (9_007_199_254_740_992, "9007199254740992"), (0.5e-6, "5e-7"),
        (4_294_967_295, "4294967295"), (-1e-7, "-1e-7"), (1.5e300, "1.5e+300"), (123e-20, "1.23e-18"),
    ])
    func numbersAsJavaScriptWritesThem(number: Double, expected: String) {
        #expect(JavaScriptJSON.number(number) == expected)
    }

    @Test func stringsEscapeOnlyWhatJavaScriptEscapes() {
        let text = "a/b\u{2028}\u{7F}\u{1}\u{1F}\u{8}\u{C}\n\r\t\"\\é😀"
        #expect(JavaScriptJSON.string(text) == "\"a/b\u{2028}\u{7F}\\u0001\\u001f\\b\\f\\n\\r\\t\\\"\\\\é😀\"")
    }

    @Test func objectKeysInJavaScriptOrder() {
        let object = JSONValue.object(["b": .number(1), "10": .bool(true), "9": .null, "a": .array([.string("x")])])
        #expect(JavaScriptJSON.stringify(object) == #"{"9":null,"10":true,"a":["x"],"b":1}"#)
    }

    @Test func parsedNumbersAndBooleansStayApart() throws {
        let parsed = try #require(JSONValue.parse(Substring("[1, true, 1.0, false, null, \"1\"]")))
        #expect(parsed == .array([.number(1), .bool(true), .number(1), .bool(false), .null, .string("1")]))
    }
}
