import SteppeModels

/// The JSON of a fit: `FitResult`'s own `Codable` encoding in its contract view (no
/// per-observation vectors, no design), so the library and `steppe fit --format json`
/// share one set of keys. The keys and their meaning are in ARCHITECTURE.md and
/// `docs/steppe-output.schema.json`; they may be added to, never renamed.
public enum FitJSON {
    /// One fit as the contract's model object.
    public static func value(_ fit: FitResult) -> JSONValue {
        let encoder = JSONValueEncoder(userInfo: [.fitResultContractOnly: true])
        do {
            return try encoder.encode(fit)
        } catch {
            // FitResult's encode(to:) throws only what the encoder throws, and this one does not.
            preconditionFailure("encoding a FitResult into a JSONValue failed: \(error)")
        }
    }
}

/// The one envelope of every JSON document Steppe prints:
/// `{"schemaVersion": 2, "command": "fit", …the command's keys…}`.
///
/// Each command adds its own keys after `command`: `models` (fit objects), `tables`
/// (report tables), `data` (the data used), `dataset` (a manifest), `machine` and
/// `results` (bench). A consumer reads `schemaVersion` first; within one version keys
/// are only ever added.
public enum OutputEnvelope {
    /// The version of the JSON contract. 2: one envelope for every command (CHANGELOG.md).
    public static let schemaVersion = 2

    /// The document for `command` (e.g. "fit", "datasets show") with `fields` after the header.
    public static func document(command: String, _ fields: [(String, JSONValue)]) -> JSONValue {
        .object([("schemaVersion", .number(Double(schemaVersion))), ("command", .string(command))] + fields)
    }

    /// The document as text, ending with a newline.
    public static func text(command: String, _ fields: [(String, JSONValue)]) -> String {
        JSONOutput.string(document(command: command, fields)) + "\n"
    }

    /// Any encodable value (a manifest, say) as JSON, keys in encoding order.
    public static func value(of encodable: some Encodable) throws -> JSONValue {
        try JSONValueEncoder().encode(encodable)
    }
}
