import SteppeData
/// Recursive-descent parser for `Formula`.
///
/// Grammar (terms and fixed effects are formula operators; arithmetic lives inside
/// function calls and `I(...)`):
/// ```
/// formula   := expr '~' rhs ( '|' fixed ( '+' fixed )* )?
/// rhs       := item ( ('+' | '-') item )*
/// item      := '0' | '1' | product
/// product   := interact ( '*' interact )*           a*b = a + b + a:b
/// interact  := atom ( ':' atom )*
/// atom      := name | 'C' '(' name ')' | function '(' expr ')'
/// fixed     := name ( '^' name )*
/// expr      := term (('+'|'-') term)* ; term := unary (('*'|'/') unary)* ;
/// unary     := '-' unary | power ; power := primary ('^' unary)?
/// primary   := number | name | function '(' expr ')' | '(' expr ')'
/// ```
struct FormulaParser {
    enum Token: Equatable {
        case name(String), number(Double), symbol(Character), end
    }

    static let functions: Set<String> = ["log", "log1p", "exp", "sqrt", "abs", "I"]

    let text: String
    private var tokens: [(Token, Int)] = []
    private var index = 0

    init(_ text: String) { self.text = text }

    private func error(_ message: String, at position: Int) -> FormulaError {
        FormulaError(formula: text, position: position, message: message)
    }

    private mutating func tokenize() throws(FormulaError) {
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            let position = i + 1
            if c == " " || c == "\t" || c == "\n" { i += 1; continue }
            if c.isLetter || c == "_" || c == "." && !(i + 1 < chars.count && chars[i + 1].isNumber) {
                var j = i
                while j < chars.count, chars[j].isLetter || chars[j].isNumber || chars[j] == "_" || chars[j] == "." { j += 1 }
                tokens.append((.name(String(chars[i..<j])), position))
                i = j
            } else if c == "`" {
                guard let close = chars[(i + 1)...].firstIndex(of: "`") else {
                    throw error("unterminated backquoted name", at: position)
                }
                tokens.append((.name(String(chars[(i + 1)..<close])), position))
                i = close + 1
            } else if c.isNumber || c == "." {
                var j = i
                while j < chars.count, chars[j].isNumber || chars[j] == "." { j += 1 }
                if j < chars.count, chars[j] == "e" || chars[j] == "E" {
                    var k = j + 1
                    if k < chars.count, chars[k] == "+" || chars[k] == "-" { k += 1 }
                    if k < chars.count, chars[k].isNumber {
                        j = k
                        while j < chars.count, chars[j].isNumber { j += 1 }
                    }
                }
                guard let v = Double(String(chars[i..<j])) else {
                    throw error("'\(String(chars[i..<j]))' is not a number", at: position)
                }
                // 1e999 would be infinity, printed "inf": a column's name when read back.
                guard v.isFinite else { throw error("'\(String(chars[i..<j]))' is too large for a number", at: position) }
                tokens.append((.number(v), position))
                i = j
            } else if "~+-*/^:|(),".contains(c) {
                tokens.append((.symbol(c), position))
                i += 1
            } else {
                throw error("unexpected character '\(c)'", at: position)
            }
        }
        tokens.append((.end, chars.count + 1))
    }

    private var current: Token { tokens[index].0 }
    private var position: Int { tokens[index].1 }
    private mutating func advance() { if index < tokens.count - 1 { index += 1 } }

    private mutating func expect(_ c: Character, _ context: String) throws(FormulaError) {
        guard current == .symbol(c) else {
            throw error("expected '\(c)' \(context), found \(describe(current))", at: position)
        }
        advance()
    }

    private func describe(_ t: Token) -> String {
        switch t {
        case .name(let n): return "'\(n)'"
        case .number(let v): return "'\(Expression.number(v))'"
        case .symbol(let c): return "'\(c)'"
        case .end: return "the end of the formula"
        }
    }

    /// Parses the whole text as one arithmetic expression (weights, offsets).
    mutating func parseStandaloneExpression() throws(FormulaError) -> Expression {
        try tokenize()
        let e = try parseExpression()
        guard current == .end else { throw error("unexpected \(describe(current))", at: position) }
        return e
    }

    mutating func parseFormula() throws(FormulaError) -> Formula {
        try tokenize()
        guard tokens.contains(where: { $0.0 == .symbol("~") }) else {
            throw error("a formula needs '~' between the response and the terms, as in y ~ x", at: 0)
        }
        let response = try parseExpression()
        try expect("~", "after the response")
        var (terms, intercept) = try parseRightHandSide()
        var fixed: [[String]] = []
        if current == .symbol("|") {
            advance()
            repeat {
                if current == .symbol("+") { advance() }
                fixed.append(try parseFixedEffect())
            } while current == .symbol("+")
            // Fixed effects absorb the intercept.
            intercept = false
        }
        guard current == .end else {
            throw error("unexpected \(describe(current))", at: position)
        }
        if terms.isEmpty && fixed.isEmpty && !intercept {
            throw error("the model has no terms and no intercept", at: 0)
        }
        // Deduplicate terms (x + x, or a*b + a).
        var seen = Set<Term>()
        terms = terms.filter { seen.insert($0).inserted }
        return Formula(response: response, terms: terms, hasIntercept: intercept, fixedEffects: fixed, text: text.trimmingWhitespace)
    }

    private mutating func parseFixedEffect() throws(FormulaError) -> [String] {
        var names: [String] = []
        repeat {
            if !names.isEmpty { advance() }
            guard case .name(let n) = current else {
                throw error("expected a column name as a fixed effect, found \(describe(current))", at: position)
            }
            if FormulaParser.functions.contains(n) || n == "C", tokens[index + 1].0 == .symbol("(") {
                throw error("fixed effects are column names (combine them with ^), not function calls", at: position)
            }
            names.append(n)
            advance()
        } while current == .symbol("^")
        return names
    }

    /// Terms and whether the intercept stays.
    ///
    /// `- a` removes every `a` written before it (`a + b - a + a` is `b + a`). The terms
    /// are kept with their positions by term, so a removal costs what it removes and a
    /// formula of thousands of terms and removals is parsed in linear time (removing
    /// from the list itself cost O(terms) per removal: 22 s for 5,000 of 10,000 terms).
    private mutating func parseRightHandSide() throws(FormulaError) -> ([Term], Bool) {
        var terms: [Term?] = []               // nil: removed by a later '-'
        var positions: [Term: [Int]] = [:]
        var intercept = true
        var sign: Character = "+"
        var first = true
        while true {
            if !first || current == .symbol("-") || current == .symbol("+") {
                if current == .symbol("+") || current == .symbol("-") {
                    if case .symbol(let s) = current { sign = s }
                    advance()
                } else if !first {
                    break
                }
            }
            first = false
            let itemPosition = position
            if case .number(let v) = current, v == 0 || v == 1 {
                advance()
                intercept = (v == 1) == (sign == "+")
            } else {
                if case .number = current {
                    throw error("a number alone is not a term (only 0 and 1, for the intercept); use I(...) for arithmetic", at: itemPosition)
                }
                let expanded = try parseProduct()
                if sign == "+" {
                    for t in expanded {
                        positions[t, default: []].append(terms.count)
                        terms.append(t)
                    }
                } else {
                    for t in Set(expanded) {
                        for k in positions.removeValue(forKey: t) ?? [] { terms[k] = nil }
                    }
                }
            }
            if current != .symbol("+") && current != .symbol("-") { break }
        }
        return (terms.compactMap { $0 }, intercept)
    }

    /// The most factors one product `a*b*…` may have: k factors expand to 2ᵏ − 1 terms, so
    /// 14 give 16,383 (wider than the 10,000-term designs Steppe is tested on), and a
    /// longer product is an error rather than an expansion that takes seconds per factor
    /// (the formula fuzzer found a 40-byte product of 16 factors, 65,535 terms, that took
    /// more than 30 s under AddressSanitizer).
    static let maxProductFactors = 14

    /// a*b*c expands to every interaction of the factors, main effects first.
    private mutating func parseProduct() throws(FormulaError) -> [Term] {
        let start = position
        var groups: [[Factor]] = [try parseInteraction()]
        while current == .symbol("*") {
            advance()
            groups.append(try parseInteraction())
        }
        if groups.count == 1 { return [Term(groups[0])] }
        if groups.count > Self.maxProductFactors {
            throw error("a product of \(groups.count) factors expands to 2^\(groups.count) - 1 terms; at most \(Self.maxProductFactors) factors can be multiplied with *", at: start)
        }
        var out: [Term] = []
        // All non-empty subsets, ordered by size then position (R's order).
        let count = groups.count
        for size in 1...count {
            for mask in 1..<(1 << count) where mask.nonzeroBitCount == size {
                var factors: [Factor] = []
                for g in 0..<count where mask & (1 << g) != 0 { factors.append(contentsOf: groups[g]) }
                out.append(Term(factors))
            }
        }
        return out
    }

    private mutating func parseInteraction() throws(FormulaError) -> [Factor] {
        var factors = [try parseAtom()]
        while current == .symbol(":") {
            advance()
            factors.append(try parseAtom())
        }
        return factors
    }

    private mutating func parseAtom() throws(FormulaError) -> Factor {
        let start = position
        guard case .name(let n) = current else {
            if current == .symbol("(") {
                throw error("parentheses group terms only inside a function; write I(...) for arithmetic", at: start)
            }
            throw error("expected a term, found \(describe(current))", at: start)
        }
        advance()
        if current == .symbol("(") {
            advance()
            if n == "C" {
                guard case .name(let column) = current else {
                    throw error("C(...) takes a column name", at: position)
                }
                advance()
                try expect(")", "to close C(")
                return .categorical(column)
            }
            guard FormulaParser.functions.contains(n) else {
                throw error("unknown function '\(n)' (known: C, I, abs, exp, log, log1p, sqrt)", at: start)
            }
            let argument = try parseExpression()
            try expect(")", "to close \(n)(")
            return .numeric(.call(n, argument))
        }
        if current == .symbol("^") {
            throw error("powers belong inside I(...): write I(\(n)^2)", at: position)
        }
        return .numeric(.column(n))
    }

    // Arithmetic.

    private mutating func parseExpression() throws(FormulaError) -> Expression {
        var lhs = try parseProductExpression()
        while current == .symbol("+") || current == .symbol("-") {
            let op: Expression.Operator = current == .symbol("+") ? .add : .subtract
            advance()
            lhs = .binary(op, lhs, try parseProductExpression())
        }
        return lhs
    }

    private mutating func parseProductExpression() throws(FormulaError) -> Expression {
        var lhs = try parseUnary()
        while current == .symbol("*") || current == .symbol("/") {
            let op: Expression.Operator = current == .symbol("*") ? .multiply : .divide
            advance()
            lhs = .binary(op, lhs, try parseUnary())
        }
        return lhs
    }

    /// Unary minus binds looser than ^, as in R: -x^2 is −(x²).
    private mutating func parseUnary() throws(FormulaError) -> Expression {
        if current == .symbol("-") {
            advance()
            return .negate(try parseUnary())
        }
        return try parsePower()
    }

    /// ^ associates to the right, and its exponent may carry a sign: x^-1.
    private mutating func parsePower() throws(FormulaError) -> Expression {
        let base = try parsePrimary()
        if current == .symbol("^") {
            advance()
            return .binary(.power, base, try parseUnary())
        }
        return base
    }

    private mutating func parsePrimary() throws(FormulaError) -> Expression {
        let start = position
        switch current {
        case .number(let v):
            advance()
            return .number(v)
        case .name(let n):
            advance()
            if current == .symbol("(") {
                guard FormulaParser.functions.contains(n) else {
                    throw error("unknown function '\(n)' (known: I, abs, exp, log, log1p, sqrt)", at: start)
                }
                advance()
                let argument = try parseExpression()
                try expect(")", "to close \(n)(")
                return .call(n, argument)
            }
            return .column(n)
        case .symbol("("):
            advance()
            let e = try parseExpression()
            try expect(")", "to close '('")
            return e
        default:
            throw error("expected a number, a column or a function, found \(describe(current))", at: start)
        }
    }
}
