public import ModelPlaneCore

/// A comma-separated table with a header row: RFC 4180 quoting (`"a,b"`, `""` for a quote), LF or CRLF line
/// ends, blank lines ignored. Fields are read by column name, so column order and extra columns do not matter.
public struct CSVTable: Sendable {
    public let source: String
    public let header: [String]
    /// Rows with their 1-based line numbers in the file.
    public let rows: [(line: Int, fields: [String])]

    public init(_ text: String, source: String) throws(InputError) {
        self.source = source
        var records: [(Int, [String])] = []
        var field = ""
        var fields: [String] = []
        var quoted = false
        var afterQuote = false
        var line = 1
        var recordLine = 1
        var characters = text.unicodeScalars.makeIterator()
        func endRecord() {
            fields.append(field)
            if !(fields.count == 1 && fields[0].isEmpty) { records.append((recordLine, fields)) }
            fields = []
            field = ""
        }
        while let scalar = characters.next() {
            if quoted {
                if scalar == "\"" {
                    quoted = false
                    afterQuote = true
                } else {
                    if scalar == "\n" { line += 1 }
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"":
                if afterQuote {
                    field.unicodeScalars.append("\"")  // "" inside a quoted field
                    quoted = true
                    afterQuote = false
                } else if field.isEmpty {
                    quoted = true
                } else {
                    throw InputError("\(source):\(line)", "a quote inside an unquoted field", expected: "a field quoted from its start")
                }
            case ",":
                fields.append(field)
                field = ""
                afterQuote = false
            case "\r": continue
            case "\n":
                endRecord()
                afterQuote = false
                line += 1
                recordLine = line
            default:
                if afterQuote { throw InputError("\(source):\(line)", "text after a closing quote", expected: "a comma or the line's end") }
                field.unicodeScalars.append(scalar)
            }
        }
        if quoted { throw InputError("\(source):\(recordLine)", "a quoted field is not closed", expected: "a closing quote") }
        if !field.isEmpty || !fields.isEmpty { endRecord() }
        guard let first = records.first else { throw InputError(source, "empty", expected: "a header row and data rows") }
        header = first.1.map { $0.trimmingBlanks() }
        rows = Array(records.dropFirst())
        for row in rows where row.fields.count != header.count {
            throw InputError("\(source):\(row.line)", "\(row.fields.count) fields", expected: "\(header.count), as in the header")
        }
    }

    /// The position of a column, or an error naming the columns there are.
    public func column(_ name: String) throws(InputError) -> Int {
        guard let index = header.firstIndex(of: name) else {
            throw InputError(source, "no column \(name)", expected: "a header with \(name) (it has \(header.joined(separator: ", ")))")
        }
        return index
    }

    public func optionalColumn(_ name: String) -> Int? { header.firstIndex(of: name) }

    /// A whole number at a row and column, within `range`.
    public func integer(_ row: (line: Int, fields: [String]), _ column: Int, in range: ClosedRange<Int>) throws(InputError) -> Int {
        let text = row.fields[column].trimmingBlanks()
        guard let value = Int(text) else {
            throw InputError("\(source):\(row.line) \(header[column])", "\"\(text)\"", expected: "a whole number")
        }
        guard range.contains(value) else {
            throw InputError("\(source):\(row.line) \(header[column])", "\(value)", expected: "\(range.lowerBound)…\(range.upperBound)")
        }
        return value
    }
}

extension String {
    func trimmingBlanks() -> String {
        var text = Substring(self)
        while let first = text.first, first == " " || first == "\t" { text.removeFirst() }
        while let last = text.last, last == " " || last == "\t" { text.removeLast() }
        return String(text)
    }
}
