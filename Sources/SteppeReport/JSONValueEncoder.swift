/// Encodes any `Encodable` value as a `JSONValue`, keeping object keys in the order the
/// value's `encode(to:)` writes them (Foundation's `JSONEncoder` does not promise an order,
/// and would refuse NaN; here a non-finite Double becomes `null`).
///
/// This is how `FitResult`'s own `Codable` encoding becomes the JSON of `steppe fit`, so
/// that the library and the command line share one set of keys.
public struct JSONValueEncoder {
    /// Passed to the value's `encode(to:)` as `encoder.userInfo`.
    public var userInfo: [CodingUserInfoKey: any Sendable] = [:]

    public init(userInfo: [CodingUserInfoKey: any Sendable] = [:]) { self.userInfo = userInfo }

    /// The value as JSON.
    public func encode(_ value: some Encodable) throws -> JSONValue {
        let root = JSONNode()
        try value.encode(to: TreeEncoder(node: root, codingPath: [], userInfo: userInfo))
        return root.value
    }
}

/// A node of the tree being built; containers write into it by reference.
private final class JSONNode {
    enum Content { case empty, leaf(JSONValue), object([(String, JSONNode)]), array([JSONNode]) }
    var content: Content = .empty

    var value: JSONValue {
        switch content {
        case .empty: return .null
        case .leaf(let v): return v
        case .object(let pairs): return .object(pairs.map { ($0.0, $0.1.value) })
        case .array(let items): return .array(items.map(\.value))
        }
    }

    /// The child under `key`, created (or replaced) at its first write.
    func child(forKey key: String) -> JSONNode {
        var pairs: [(String, JSONNode)] = []
        if case .object(let existing) = content { pairs = existing }
        if let found = pairs.first(where: { $0.0 == key }) { return found.1 }
        let node = JSONNode()
        pairs.append((key, node))
        content = .object(pairs)
        return node
    }

    func appendChild() -> JSONNode {
        var items: [JSONNode] = []
        if case .array(let existing) = content { items = existing }
        let node = JSONNode()
        items.append(node)
        content = .array(items)
        return node
    }

    func makeObject() { if case .object = content {} else { content = .object([]) } }
    func makeArray() { if case .array = content {} else { content = .array([]) } }
    var count: Int { if case .array(let items) = content { return items.count } else { return 0 } }
}

private struct IndexKey: CodingKey {
    var stringValue: String { "\(intValue!)" }
    var intValue: Int?
    init(_ index: Int) { intValue = index }
    init?(stringValue: String) { return nil }
    init?(intValue: Int) { self.intValue = intValue }
}

private struct TreeEncoder: Encoder {
    let node: JSONNode
    var codingPath: [any CodingKey]
    let userInfo: [CodingUserInfoKey: Any]

    init(node: JSONNode, codingPath: [any CodingKey], userInfo: [CodingUserInfoKey: any Sendable]) {
        self.node = node
        self.codingPath = codingPath
        self.userInfo = userInfo
    }

    init(node: JSONNode, codingPath: [any CodingKey], anyUserInfo: [CodingUserInfoKey: Any]) {
        self.node = node
        self.codingPath = codingPath
        self.userInfo = anyUserInfo
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        node.makeObject()
        return KeyedEncodingContainer(KeyedTree<Key>(node: node, codingPath: codingPath, userInfo: userInfo))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        node.makeArray()
        return UnkeyedTree(node: node, codingPath: codingPath, userInfo: userInfo)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleTree(node: node, codingPath: codingPath, userInfo: userInfo)
    }
}

/// Leaf values shared by the three containers.
private func leaf(_ value: some Encodable, into node: JSONNode, codingPath: [any CodingKey], userInfo: [CodingUserInfoKey: Any]) throws {
    switch value {
    case let v as Bool: node.content = .leaf(.bool(v))
    case let v as String: node.content = .leaf(.string(v))
    case let v as Double: node.content = .leaf(.number(v))
    case let v as Float: node.content = .leaf(.number(Double(v)))
    case let v as Int: node.content = .leaf(.number(Double(v)))
    case let v as Int64: node.content = .leaf(.number(Double(v)))
    case let v as Int32: node.content = .leaf(.number(Double(v)))
    case let v as UInt: node.content = .leaf(.number(Double(v)))
    case let v as UInt64: node.content = .leaf(.number(Double(v)))
    default: try value.encode(to: TreeEncoder(node: node, codingPath: codingPath, anyUserInfo: userInfo))
    }
}

private struct KeyedTree<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: JSONNode
    var codingPath: [any CodingKey]
    let userInfo: [CodingUserInfoKey: Any]

    mutating func encodeNil(forKey key: Key) throws { node.child(forKey: key.stringValue).content = .leaf(.null) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try leaf(value, into: node.child(forKey: key.stringValue), codingPath: codingPath + [key], userInfo: userInfo)
    }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let child = node.child(forKey: key.stringValue)
        child.makeObject()
        return KeyedEncodingContainer(KeyedTree<NestedKey>(node: child, codingPath: codingPath + [key], userInfo: userInfo))
    }
    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = node.child(forKey: key.stringValue)
        child.makeArray()
        return UnkeyedTree(node: child, codingPath: codingPath + [key], userInfo: userInfo)
    }
    mutating func superEncoder() -> any Encoder { superEncoder(forKey: Key(stringValue: "super")!) }
    mutating func superEncoder(forKey key: Key) -> any Encoder {
        TreeEncoder(node: node.child(forKey: key.stringValue), codingPath: codingPath + [key], anyUserInfo: userInfo)
    }
}

private struct UnkeyedTree: UnkeyedEncodingContainer {
    let node: JSONNode
    var codingPath: [any CodingKey]
    let userInfo: [CodingUserInfoKey: Any]
    var count: Int { node.count }

    mutating func encodeNil() throws { node.appendChild().content = .leaf(.null) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        let key = IndexKey(count)
        try leaf(value, into: node.appendChild(), codingPath: codingPath + [key], userInfo: userInfo)
    }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let key = IndexKey(count)
        let child = node.appendChild()
        child.makeObject()
        return KeyedEncodingContainer(KeyedTree<NestedKey>(node: child, codingPath: codingPath + [key], userInfo: userInfo))
    }
    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let key = IndexKey(count)
        let child = node.appendChild()
        child.makeArray()
        return UnkeyedTree(node: child, codingPath: codingPath + [key], userInfo: userInfo)
    }
    mutating func superEncoder() -> any Encoder {
        TreeEncoder(node: node.appendChild(), codingPath: codingPath + [IndexKey(count)], anyUserInfo: userInfo)
    }
}

private struct SingleTree: SingleValueEncodingContainer {
    let node: JSONNode
    var codingPath: [any CodingKey]
    let userInfo: [CodingUserInfoKey: Any]

    mutating func encodeNil() throws { node.content = .leaf(.null) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        try leaf(value, into: node, codingPath: codingPath, userInfo: userInfo)
    }
}
